import 'reflect-metadata';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { Metrics } from '@cashless/observability';
import { PlatformModule, createFastifyAdapter } from '@cashless/platform';
import { registerApiProxy } from './proxy';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A stand-in for one service behind the gateway: records what reached it. */
function fakeService(name: string, seen: Seen[]): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      if (req.url!.endsWith('/feed')) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('data: {"amount":50000}\n\n');
        setTimeout(() => res.end('data: {"amount":20000}\n\n'), 50);
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-service': name });
      res.end(JSON.stringify({ service: name }));
    });
  });
}

async function listenOn(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('gateway API proxy', () => {
  let app: NestFastifyApplication;
  let base: string;
  const seen: Seen[] = [];
  const services: Server[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    const metrics = new Metrics('gateway');
    const merchant = fakeService('merchant', seen);
    const payment = fakeService('payment', seen);
    services.push(merchant, payment);
    const upstreams = {
      merchant: await listenOn(merchant),
      payment: await listenOn(payment),
      ledger: 'http://127.0.0.1:1', // nothing listens there: the service is down
      analytics: 'http://127.0.0.1:1',
    };
    @Module({ imports: [PlatformModule.forRoot({ service: 'gateway', logger, metrics })] })
    class GatewayTestModule {}
    app = await NestFactory.create<NestFastifyApplication>(GatewayTestModule, createFastifyAdapter(logger, metrics), {
      logger: false,
    });
    await registerApiProxy(app.getHttpAdapter().getInstance(), { logger, upstreams, rateLimits: { login: 2 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
    for (const s of services) s.close();
  });

  it('forwards method, path, query and the raw body byte for byte to the owning service', async () => {
    // Bank notification signatures cover the raw body: spacing and key order must survive.
    const raw = '{ "id":"tx-1",  "amount": 50000, "content":"CS7K2 Thanh toán" }';
    const response = await fetch(`${base}/api/v1/bank-notifications/generic?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': 't=1,v1=abc', 'x-request-id': 'req-123' },
      body: raw,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ service: 'payment' });
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ method: 'POST', url: '/api/v1/bank-notifications/generic?x=1' });
    expect(last.body.toString('utf8')).toBe(raw);
    expect(last.headers['x-signature']).toBe('t=1,v1=abc');
    expect(last.headers['x-request-id']).toBe('req-123');
    expect(last.headers['x-forwarded-for']).toContain('127.0.0.1');
  });

  it('passes upstream status and headers back', async () => {
    const response = await fetch(`${base}/api/v1/merchants`, { method: 'POST', body: 'not even json' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-service')).toBe('merchant');
    expect(seen[seen.length - 1].body.toString()).toBe('not even json');
  });

  it('streams server-sent events from the live feed', async () => {
    const response = await fetch(`${base}/api/v1/merchants/m-1/feed`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await response.text();
    expect(text).toBe('data: {"amount":50000}\n\ndata: {"amount":20000}\n\n');
  });

  it('answers 503 in both languages when the owning service is down', async () => {
    const response = await fetch(`${base}/api/v1/merchants/m-1/balance`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: Record<string, string> };
    expect(body.error).toMatchObject({ code: 'service_unavailable' });
    expect(body.error.messageVi).toContain('dịch vụ sổ cái');
    expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('answers 404 for an unknown API route without calling any service', async () => {
    const before = seen.length;
    const response = await fetch(`${base}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(seen.length).toBe(before);
  });

  it('rate-limits per class and client before calling the service, in both languages', async () => {
    const login = () => fetch(`${base}/api/v1/auth/login`, { method: 'POST', body: '{"username":"a","password":"b"}' });
    expect((await login()).status).toBe(201);
    expect((await login()).status).toBe(201);
    const before = seen.length;
    const limited = await login();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await limited.json()) as { error: Record<string, string> };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.messageVi).toContain('Quá nhiều yêu cầu');
    expect(seen.length).toBe(before);
    // Other classes keep their own budgets.
    expect((await fetch(`${base}/api/v1/streets`)).status).toBe(201);
  });

  it('leaves its own routes alone', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
  });
});
