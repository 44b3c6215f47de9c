import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '@cashless/observability';

/** Largest bank notification accepted: real ones are well under 4 KB. */
export const MAX_NOTIFICATION_BYTES = 64 * 1024;

/** Route config flag (`@RouteConfig({ [RAW_BODY]: true })`) of routes that receive the exact bytes. */
export const RAW_BODY = 'rawBody';

/** Internal media type the raw routes' requests are switched to, so only our parser reads them. */
const RAW_MEDIA_TYPE = 'application/x-cashless-raw-body';
const ORIGINAL_CONTENT_TYPE = Symbol('originalContentType');

export const payloadTooLarge = () =>
  new ApiError(413, 'payload_too_large', {
    vi: `Thông báo quá lớn (tối đa ${MAX_NOTIFICATION_BYTES / 1024} KB)`,
    en: `Notification too large (at most ${MAX_NOTIFICATION_BYTES / 1024} KB)`,
  });

/** The content type the sender declared on a raw route (the header itself was switched). */
export function originalContentType(request: FastifyRequest): string | undefined {
  return (request.raw as { [ORIGINAL_CONTENT_TYPE]?: string })[ORIGINAL_CONTENT_TYPE];
}

/**
 * Signatures cover the exact bytes a feed sent, and the order of checks puts the signature before
 * any parsing (a forged body that is not even JSON is a 401, a signed one that is not JSON is a
 * stored 400). So routes flagged `RAW_BODY` get the body as a Buffer, whatever its content type:
 * an `onRequest` hook switches their content type to an internal one that only a buffer parser
 * (with the notification size limit) handles. Other routes keep the platform's JSON parsing.
 */
@Injectable()
export class RawBodyRoutes implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addContentTypeParser(
      RAW_MEDIA_TYPE,
      { parseAs: 'buffer', bodyLimit: MAX_NOTIFICATION_BYTES },
      (_request, body, done) => done(null, body),
    );
    fastify.addHook('onRequest', (request, _reply, done) => {
      const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
      if (config?.[RAW_BODY] !== true) return done();
      const length = Number(request.headers['content-length']);
      if (Number.isFinite(length) && length > MAX_NOTIFICATION_BYTES) return done(payloadTooLarge());
      (request.raw as { [ORIGINAL_CONTENT_TYPE]?: string })[ORIGINAL_CONTENT_TYPE] = request.headers['content-type'];
      request.raw.headers['content-type'] = RAW_MEDIA_TYPE;
      done();
    });
  }
}
