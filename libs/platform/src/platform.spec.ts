import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BadRequestException, Controller, Get, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import request from 'supertest';
import { ApiError, HealthRegistry, Metrics, NestPinoLogger } from '@cashless/observability';
import { createFastifyAdapter } from './bootstrap';
import { PlatformModule } from './platform.module';

let kafkaUp = true;

@Injectable()
class FakeDependency implements OnModuleInit {
  constructor(private readonly health: HealthRegistry) {}
  onModuleInit(): void {
    this.health.register({ name: 'database', check: async () => undefined });
    this.health.register({
      name: 'kafka',
      check: async () => {
        if (!kafkaUp) throw new Error('broker unreachable');
      },
    });
  }
}

@Controller('demo')
class DemoController {
  @Get('crash')
  crash(): never {
    throw new Error('secret internals: password=hunter2');
  }
  @Get('invalid')
  invalid(): never {
    throw ApiError.validation([
      { field: 'phone', message: { vi: 'Số điện thoại không hợp lệ', en: 'Invalid phone number' } },
    ]);
  }
  @Get('item/:id')
  item(): string {
    return 'item';
  }
  @Get('nest-error')
  nestError(): never {
    throw new BadRequestException('plain bad request');
  }
}

@Module({ controllers: [DemoController], providers: [FakeDependency] })
class DemoModule {}

describe('service platform (HTTP behaviour every service shares)', () => {
  let app: NestFastifyApplication;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    const metrics = new Metrics('demo');
    @Module({ imports: [PlatformModule.forRoot({ service: 'demo', logger, metrics }), DemoModule] })
    class RootModule {}
    app = await NestFactory.create<NestFastifyApplication>(RootModule, createFastifyAdapter(logger, metrics), {
      logger: new NestPinoLogger(logger),
    });
    // A real listening server (Fastify's inject() pulls in an ESM-only module Jest cannot load here).
    await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app.close();
  });

  const inject = async (url: string, headers: Record<string, string> = {}) => {
    const response = await request(app.getHttpServer()).get(url).set(headers);
    return {
      statusCode: response.status,
      headers: response.headers as Record<string, string>,
      body: response.text,
      json: () => JSON.parse(response.text),
    };
  };

  it('GET /health is 200 when every dependency answers', async () => {
    kafkaUp = true;
    const response = await inject('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, kafka: { status: 'up' } },
    });
  });

  it('GET /health is 503 and names the dependency that is down', async () => {
    kafkaUp = false;
    const response = await inject('/health');
    expect(response.statusCode).toBe(503);
    expect(response.json().checks.kafka).toMatchObject({ status: 'down', error: 'broker unreachable' });
    kafkaUp = true;
  });

  it('GET /health/live stays 200 while a dependency is down', async () => {
    kafkaUp = false;
    expect((await inject('/health/live')).statusCode).toBe(200);
    kafkaUp = true;
  });

  it('GET /metrics is Prometheus text with HTTP and process metrics', async () => {
    await inject('/health');
    const response = await inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('http_request_duration_seconds_bucket');
    expect(response.body).toContain('process_resident_memory_bytes');
  });

  it('answers every request with a request id, keeping a well-formed one from the caller', async () => {
    const given = await inject('/health', { 'x-request-id': 'gateway-abc-123' });
    expect(given.headers['x-request-id']).toBe('gateway-abc-123');
    const minted = await inject('/health', { 'x-request-id': 'bad id with spaces' });
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('renders unexpected errors as a 500 without internals', async () => {
    const response = await inject('/demo/crash');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: {
        code: 'internal_error',
        message: 'Internal error',
        messageVi: 'Lỗi hệ thống',
        requestId: response.headers['x-request-id'],
      },
    });
    expect(response.body).not.toContain('hunter2');
  });

  it('renders field-level validation errors in Vietnamese and English', async () => {
    const response = await inject('/demo/invalid');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'validation_failed',
      message: 'Invalid input',
      messageVi: 'Dữ liệu không hợp lệ',
      details: {
        fields: [{ field: 'phone', message: { vi: 'Số điện thoại không hợp lệ', en: 'Invalid phone number' } }],
      },
    });
  });

  it('keeps the status of framework errors and unknown routes', async () => {
    expect((await inject('/demo/nest-error')).json().error).toMatchObject({
      code: 'bad_request',
      message: 'plain bad request',
    });
    const missing = await inject('/nowhere');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });

  // Found by the bad-input campaign: these answered without the Vietnamese text, or in Fastify's shape.
  it('answers framework errors in both languages and in the platform shape, router errors included', async () => {
    const nest = (await inject('/demo/nest-error')).json().error;
    expect(nest.messageVi).toBe('Yêu cầu không hợp lệ');
    expect((await inject('/nowhere')).json().error.messageVi).toBe('Không tìm thấy');

    const badJson = await request(app.getHttpServer())
      .post('/demo/item/1')
      .set('content-type', 'application/json')
      .send('{"a":');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.text).error).toMatchObject({ code: 'bad_request', messageVi: 'Yêu cầu không hợp lệ' });

    const badUrl = await inject('/demo/item/%FF%FE');
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json()).toEqual({
      error: {
        code: 'bad_request',
        message: 'Malformed URL',
        messageVi: 'Yêu cầu không hợp lệ',
        requestId: badUrl.headers['x-request-id'],
      },
    });
    const longParam = await inject(`/demo/item/${'x'.repeat(500)}`);
    expect(longParam.statusCode).toBe(414);
    expect(longParam.json().error).toMatchObject({ code: 'uri_too_long', messageVi: 'Đường dẫn quá dài' });
    expect(longParam.json().error.requestId).toBe(longParam.headers['x-request-id']);
  });
});
