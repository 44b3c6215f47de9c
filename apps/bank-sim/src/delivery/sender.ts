import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** Sent as these exact UTF-8 bytes (the signature covers them). */
  body?: string;
}

export interface Answer {
  status: number;
  body: string;
}

/** One HTTP exchange; rejects on network errors and timeouts. Tests pass fakes. */
export type Sender = (request: OutgoingRequest) => Promise<Answer>;

export interface HttpSender {
  send: Sender;
  /** Closes the kept-alive connections. */
  close(): void;
}

export interface HttpSenderOptions {
  /** Connections per origin: bounds what a load run opens against the platform. */
  maxSockets?: number;
  timeoutMs?: number;
}

/**
 * A sender over Node's own HTTP client with keep-alive agents: a bank feed (and a load run)
 * reuses its connections rather than paying a TCP handshake per notification.
 */
export function createHttpSender(options: HttpSenderOptions = {}): HttpSender {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  const timeoutMs = options.timeoutMs ?? 10_000;

  const send: Sender = (outgoing) =>
    new Promise<Answer>((resolve, reject) => {
      const url = new URL(outgoing.url);
      const secure = url.protocol === 'https:';
      const body = outgoing.body === undefined ? undefined : Buffer.from(outgoing.body, 'utf8');
      const headers: Record<string, string | number> = { ...outgoing.headers };
      if (body !== undefined) headers['content-length'] = body.length;
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        { method: outgoing.method, headers, agent: secure ? https : http, timeout: timeoutMs },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });

  return {
    send,
    close: () => {
      http.destroy();
      https.destroy();
    },
  };
}
