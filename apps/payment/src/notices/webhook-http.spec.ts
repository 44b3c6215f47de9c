import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSuccessStatus, postJson } from './webhook-http';

/** A real local HTTP server: the poster's timeouts, redirects and body limits are about sockets, not logic. */
describe('posting a webhook', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        seen.push({ url: request.url ?? '', headers: request.headers, body });
        if (request.url === '/ok') return void response.writeHead(200).end('ok, thanks');
        if (request.url === '/redirect') return void response.writeHead(302, { location: '/ok' }).end();
        if (request.url === '/big') return void response.writeHead(503).end('é'.repeat(100_000));
        if (request.url === '/hang') return; // never answers
        response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const options = { timeoutMs: 500, allowPrivateAddresses: true };

  it('POSTs the JSON body with the given headers and reads the start of the answer', async () => {
    const outcome = await postJson(`${base}/ok`, '{"id":"1"}', { 'x-signature': 't=1,v1=ab' }, options);
    expect(outcome).toMatchObject({ statusCode: 200, error: null, response: 'ok, thanks' });
    expect(isSuccessStatus(outcome.statusCode)).toBe(true);
    const request = seen.find((s) => s.url === '/ok')!;
    expect(request.body).toBe('{"id":"1"}');
    expect(request.headers).toMatchObject({ 'content-type': 'application/json', 'x-signature': 't=1,v1=ab' });
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const outcome = await postJson(`${base}/redirect`, '{}', {}, options);
    expect(outcome.statusCode).toBe(302);
    expect(isSuccessStatus(outcome.statusCode)).toBe(false);
    expect(seen.filter((s) => s.url === '/ok')).toHaveLength(1);
  });

  it('keeps at most 500 characters of a large answer', async () => {
    const outcome = await postJson(`${base}/big`, '{}', {}, options);
    expect(outcome.statusCode).toBe(503);
    expect(outcome.response).toBe('é'.repeat(500));
  });

  it('gives up after the timeout', async () => {
    const outcome = await postJson(`${base}/hang`, '{}', {}, { ...options, timeoutMs: 200 });
    expect(outcome).toMatchObject({ statusCode: null, error: 'timeout after 200 ms', response: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(150);
    expect(outcome.durationMs).toBeLessThan(2_000);
  });

  it('reports a refused connection as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await postJson(`http://127.0.0.1:${port}/`, '{}', {}, options);
    expect(outcome).toMatchObject({ statusCode: null, error: 'network error: ECONNREFUSED' });
  });

  it('refuses private addresses when they are not allowed, by literal and by name', async () => {
    const strict = { timeoutMs: 500, allowPrivateAddresses: false };
    const before = seen.length;
    const literal = await postJson(`${base}/ok`, '{}', {}, strict);
    expect(literal).toMatchObject({ statusCode: null, error: 'blocked: 127.0.0.1 is a private or loopback address' });
    const port = new URL(base).port;
    const byName = await postJson(`http://localhost:${port}/ok`, '{}', {}, strict);
    expect(byName.statusCode).toBeNull();
    expect(byName.error).toMatch(/^blocked: .* is a private or loopback address$/);
    expect(seen.length).toBe(before);
  });
});
