import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import type { LocalizedText } from './api-error';
import type { AppLogger } from './logger';

export interface ErrorBody {
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
      return [
        status,
        { error: { code: codeForStatus(status), message, messageVi: textForStatus(status).vi, requestId } },
      ];
    }
    // Fastify's own errors (bad JSON, body too large, wrong content type) carry a 4xx statusCode.
    const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const message = exception instanceof Error ? exception.message : 'Bad request';
      const messageVi = textForStatus(fastifyStatus).vi;
      return [fastifyStatus, { error: { code: codeForStatus(fastifyStatus), message, messageVi, requestId } }];
    }
    return [
      HttpStatus.INTERNAL_SERVER_ERROR,
      { error: { code: 'internal_error', message: 'Internal error', messageVi: 'Lỗi hệ thống', requestId } },
    ];
  }
}

const STATUS_TEXT: Record<number, LocalizedText> = {
  400: { vi: 'Yêu cầu không hợp lệ', en: 'Bad request' },
  401: { vi: 'Chưa xác thực', en: 'Unauthorized' },
  403: { vi: 'Không có quyền', en: 'Forbidden' },
  404: { vi: 'Không tìm thấy', en: 'Not found' },
  405: { vi: 'Phương thức không được hỗ trợ', en: 'Method not allowed' },
  409: { vi: 'Xung đột dữ liệu', en: 'Conflict' },
  413: { vi: 'Nội dung yêu cầu quá lớn', en: 'Request body too large' },
  414: { vi: 'Đường dẫn quá dài', en: 'URI too long' },
  415: {
    vi: 'Kiểu nội dung không được hỗ trợ (hãy gửi application/json)',
    en: 'Unsupported media type (send application/json)',
  },
  422: { vi: 'Không xử lý được yêu cầu', en: 'Unprocessable request' },
  429: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' },
};

/** A generic bilingual text for a status, for errors that carry only an English message (framework errors). */
export function textForStatus(status: number): LocalizedText {
  return STATUS_TEXT[status] ?? (status >= 500 ? { vi: 'Lỗi hệ thống', en: 'Internal error' } : STATUS_TEXT[400]);
}

/** The platform's error body for a bare status, e.g. a request the router refuses before any route runs. */
export function errorBodyForStatus(status: number, message: string, requestId: string): ErrorBody {
  return { error: { code: codeForStatus(status), message, messageVi: textForStatus(status).vi, requestId } };
}

export function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'payload_too_large',
    414: 'uri_too_long',
    415: 'unsupported_media_type',
    422: 'unprocessable_entity',
    429: 'too_many_requests',
  };
  return codes[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}
