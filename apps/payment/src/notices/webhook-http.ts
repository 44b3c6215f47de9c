import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isPrivateAddress } from './webhook-url';

/** What one POST to a merchant endpoint came to. */
export interface PostOutcome {
  /** The HTTP status, null when no response came (network error, timeout, blocked address). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The start of the response body, for the delivery log. */
  response: string | null;
}

export const RESPONSE_SNIPPET_CHARS = 500;
/** Bytes of a response read at most: enough for the snippet, never a large download. */
const RESPONSE_READ_BYTES = 4 * 1024;

class BlockedAddressError extends Error {
  constructor(address: string) {
    super(`blocked: ${address} is a private or loopback address`);
  }
}

/** DNS lookup that refuses private addresses, so a public name that resolves inward is not followed. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) return callback(new BlockedAddressError(blocked.address), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const [first] = addresses;
    if (!first) return callback(new Error(`no address for ${hostname}`), '', 0);
    callback(null, first.address, first.family);
  });
};

export const isSuccessStatus = (status: number | null) => status !== null && status >= 200 && status < 300;

/**
 * POSTs a JSON body and waits at most `timeoutMs` for the status and the start of the answer.
 * Redirects are not followed (a 3xx is a failed attempt): the signed body goes to the URL the
 * merchant configured and nowhere else.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivateAddresses: boolean },
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<PostOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivateAddresses && isIP(host) && isPrivateAddress(host)) {
      resolve({ statusCode: null, error: new BlockedAddressError(host).message, durationMs: 0, response: null });
      return;
    }
    const requestOptions: RequestOptions = {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'CashlessStreet-Webhooks/1',
      },
      ...(options.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup }),
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(target, requestOptions, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let read = 0;
      const done = () => {
        // PostgreSQL text cannot hold NUL: an answer with one must not make the attempt unloggable.
        const text = Buffer.concat(chunks).toString('utf8').replaceAll('\0', '').slice(0, RESPONSE_SNIPPET_CHARS);
        finish({ statusCode: response.statusCode ?? null, error: null, response: text || null });
        response.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        read += chunk.length;
        if (read >= RESPONSE_READ_BYTES) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `timeout after ${options.timeoutMs} ms`, response: null });
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error instanceof BlockedAddressError ? error.message : `network error: ${error.code ?? error.message}`;
      finish({ statusCode: null, error: reason, response: null });
    });
    request.end(body);
  });
}
