import { IncomingHttpHeaders, IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { codeForStatus, textForStatus } from '@cashless/observability';
import type { AppLogger } from '@cashless/observability';
import { DEFAULT_RATE_LIMITS, rateLimitClass, rateLimitKey } from './rate-limits';
import type { RateLimitClass, RateLimits } from './rate-limits';
import { ServiceName, serviceFor } from './route-table';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus `host`. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

const SERVICE_NAMES_VI: Record<ServiceName, string> = {
  merchant: 'dịch vụ cửa hàng',
  payment: 'dịch vụ thanh toán',
  ledger: 'dịch vụ sổ cái',
  analytics: 'dịch vụ thống kê',
};

export interface ProxyOptions {
  upstreams: Record<ServiceName, string>;
  logger: AppLogger;
  /** Time allowed for the upstream to start answering (not for a live stream to end). */
  responseTimeoutMs?: number;
  /** Requests per minute per class (0 = no limit); defaults to DEFAULT_RATE_LIMITS. */
  rateLimits?: Partial<RateLimits>;
}

/**
 * Forwards `/api/v1/*` to the owning service, byte for byte: bodies are not parsed here (bank
 * notification signatures cover the raw body), responses are streamed (the live feed is SSE).
 * Registered in its own Fastify scope so its catch-all body parser does not affect other routes.
 */
export async function registerApiProxy(fastify: FastifyInstance, options: ProxyOptions): Promise<void> {
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  await fastify.register(async (scope) => {
    // Counted before the body is read or any service is called; per gateway instance.
    await scope.register(rateLimit, {
      global: true,
      timeWindow: 60_000,
      keyGenerator: (request) => rateLimitKey(limitClassOf(request), request.ip, headerOf(request, 'authorization')),
      max: (_request, key) => limits[key.slice(0, key.indexOf(':')) as RateLimitClass] || Number.MAX_SAFE_INTEGER,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
    });
    scope.setErrorHandler((error: FastifyError & { retryAfterSeconds?: number }, request, reply) => {
      if (error.statusCode === 429) {
        const seconds = error.retryAfterSeconds ?? 60;
        return reply
          .status(429)
          .send(
            errorBody(
              'rate_limited',
              `Too many requests; try again in ${seconds} s`,
              `Quá nhiều yêu cầu; vui lòng thử lại sau ${seconds} giây`,
              request,
            ),
          );
      }
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
      if (status < 500) {
        // The client's fault (a body over the limit, an unreadable one): its own status and code.
        const text = textForStatus(status);
        return reply.status(status).send(errorBody(codeForStatus(status), text.en, text.vi, request));
      }
      options.logger.error({ err: error.message, requestId: request.id }, 'gateway error');
      return reply
        .status(500)
        .send(
          errorBody('gateway_error', 'The request could not be forwarded', 'Không chuyển tiếp được yêu cầu', request),
        );
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.all('/api/v1/*', (request, reply) => forward(request, reply, options));
  });
}

async function forward(request: FastifyRequest, reply: FastifyReply, options: ProxyOptions): Promise<void> {
  const service = serviceFor(request.url);
  if (!service) {
    await reply.status(404).send(errorBody('not_found', 'No such API route', 'Không có đường dẫn API này', request));
    return;
  }
  const target = new URL(request.url, options.upstreams[service]);
  const headers = forwardedHeaders(request);
  const body = Buffer.isBuffer(request.body) ? request.body : undefined;
  if (body) headers['content-length'] = String(body.length);

  return new Promise<void>((resolve) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(target, { method: request.method, headers });
    const timeout = setTimeout(
      () => upstream.destroy(new Error('upstream response timeout')),
      options.responseTimeoutMs ?? 30000,
    );
    upstream.once('response', (response: IncomingMessage) => {
      clearTimeout(timeout);
      void reply.status(response.statusCode ?? 502).headers(responseHeaders(response.headers));
      // A client that goes away (e.g. closes the live feed) ends the upstream request too.
      request.raw.once('close', () => response.destroy());
      void reply.send(response);
      resolve();
    });
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timeout);
      if (reply.sent) return resolve();
      const timedOut = error.message === 'upstream response timeout';
      options.logger.warn({ service, err: error.message, requestId: request.id }, 'upstream unavailable');
      void reply
        .status(timedOut ? 504 : 503)
        .send(
          errorBody(
            timedOut ? 'upstream_timeout' : 'service_unavailable',
            `The ${service} service is not answering; try again shortly`,
            `${SERVICE_NAMES_VI[service]} chưa phản hồi, vui lòng thử lại sau`,
            request,
          ),
        );
      resolve();
    });
    upstream.end(body);
  });
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function limitClassOf(request: FastifyRequest): RateLimitClass {
  return rateLimitClass(request.method, request.url, headerOf(request, 'authorization'));
}

function forwardedHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['x-request-id'] = String(request.id);
  headers['x-forwarded-for'] = [request.headers['x-forwarded-for'], request.ip].filter(Boolean).join(', ');
  headers['x-forwarded-proto'] = request.protocol;
  if (request.headers.host) headers['x-forwarded-host'] = request.headers.host;
  return headers;
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function errorBody(code: string, message: string, messageVi: string, request: FastifyRequest) {
  return { error: { code, message, messageVi, requestId: String(request.id) } };
}
