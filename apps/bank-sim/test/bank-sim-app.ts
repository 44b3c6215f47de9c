import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import request from 'supertest';
import { SIGNATURE_HEADER, verifySignatureHeader } from '@cashless/contracts';
import { Metrics, NestPinoLogger } from '@cashless/observability';
import { PlatformModule, createFastifyAdapter } from '@cashless/platform';
import { encodeVietQr } from '@cashless/vietqr';
import { BankSimModule } from '../src/bank-sim.module';
import { bankSimEnv } from '../src/config';

export const TEST_SECRET = 'bank-sim-test-secret';

export interface BankSimApp {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The sandbox bank as `main.ts` assembles it (`runStatelessService`), on a random port. */
export async function startBankSimApp(gatewayUrl: string): Promise<BankSimApp> {
  const config = bankSimEnv.parse({ GATEWAY_URL: gatewayUrl, BANK_WEBHOOK_SECRET: TEST_SECRET });
  const logger = pino({ level: process.env.BANK_SIM_TEST_LOG ?? 'silent' });
  const metrics = new Metrics('bank-sim');

  @Module({
    imports: [PlatformModule.forRoot({ service: 'bank-sim', logger, metrics }), BankSimModule.forRoot(config)],
  })
  class RootModule {}

  const app = await NestFactory.create<NestFastifyApplication>(RootModule, createFastifyAdapter(logger, metrics), {
    logger: new NestPinoLogger(logger),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, http: () => request(app.getHttpServer()), close: () => app.close() };
}

export interface Received {
  raw: string;
  id: string;
  status: number;
}

/**
 * Plays the platform for the sandbox bank: `POST /api/v1/bank-notifications/generic` checks the
 * signature over the raw bytes (401 when it fails), answers `accepted` once per id and
 * `duplicate` after; `failNext` makes the next answers 503. `POST /api/v1/payment-intents`
 * answers a fresh dynamic QR for a Bearer key, as the payment service would.
 */
export class FakePlatform {
  readonly received: Received[] = [];
  readonly intentsCreated: { apiKey: string; amount: number }[] = [];
  failNext = 0;
  private readonly seen = new Set<string>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Load runs keep connections alive; the server must not cut them under a burst.
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The accepted (signature-verified) bodies, in arrival order. */
  verified(): Received[] {
    return this.received.filter((r) => r.status === 200);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && req.url === '/api/v1/payment-intents') {
      const apiKey = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const { amount } = JSON.parse(raw) as { amount: number };
      this.intentsCreated.push({ apiKey, amount });
      const code = `CS${String(this.intentsCreated.length).padStart(8, '0')}`;
      const qrPayload = encodeVietQr({ bankBin: '970436', account: '0011001932418', amount, paymentCode: code });
      return answer(201, { id: code, status: 'requires_payment', amount, paymentCode: code, qrPayload });
    }
    if (req.method !== 'POST' || req.url !== '/api/v1/bank-notifications/generic') return answer(404, {});
    const header = req.headers[SIGNATURE_HEADER];
    const check = verifySignatureHeader(typeof header === 'string' ? header : undefined, raw, TEST_SECRET);
    const id = check.ok ? (JSON.parse(raw) as { id: string }).id : '';
    const status = !check.ok ? 401 : this.failNext > 0 ? 503 : 200;
    if (status === 503) this.failNext--;
    this.received.push({ raw, id, status });
    if (status !== 200) return answer(status, { error: { code: status === 401 ? 'unauthorized' : 'unavailable' } });
    const duplicate = this.seen.has(id);
    this.seen.add(id);
    return answer(200, { status: duplicate ? 'duplicate' : 'accepted' });
  }
}
