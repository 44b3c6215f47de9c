import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import type { AppLogger } from './logger';

interface ErrorBody {
  error: { code: string; message: string; messageVi?: string; details?: unknown; requestId?: string };
}

/**
 * The one place errors become HTTP responses. Known errors keep their status and code;
 * anything unexpected is logged with its stack and answered with a 500 that carries the
 * request id but no internals.
 */
@Catch()
export class GlobalErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const requestId = String(request.id);
    const [status, body] = this.toResponse(exception, requestId);
    if (status >= 500) {
      this.logger.error({ err: exception, requestId, url: request.url }, 'unhandled error');
    }
    void reply.status(status).header('x-request-id', requestId).send(body);
  }

  private toResponse(exception: unknown, requestId: string): [number, ErrorBody] {
    if (exception instanceof ApiError) {
      return [
        exception.status,
        {
          error: {
            code: exception.code,
            message: exception.text.en,
            messageVi: exception.text.vi,
            details: exception.details,
            requestId,
          },
        },
      ];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      return [status, { error: { code: codeForStatus(status), message, requestId } }];
    }
    // Fastify's own errors (bad JSON, body too large, wrong content type) carry a 4xx statusCode.
    const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const message = exception instanceof Error ? exception.message : 'Bad request';
      return [fastifyStatus, { error: { code: codeForStatus(fastifyStatus), message, requestId } }];
    }
    return [
      HttpStatus.INTERNAL_SERVER_ERROR,
      { error: { code: 'internal_error', message: 'Internal error', requestId } },
    ];
  }
}

function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    422: 'unprocessable_entity',
    429: 'too_many_requests',
  };
  return codes[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}
