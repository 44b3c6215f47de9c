import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { currentRequestId } from './request-context';

export type AppLogger = Logger;

/** Structured JSON logs (one line per event) with the service name and current request id. */
export function createLogger(service: string, level = 'info'): AppLogger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    redact: { paths: ['req.headers.authorization', 'req.headers["x-signature"]'], censor: '[redacted]' },
  });
}

/** Routes Nest's own log calls into the same structured logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: AppLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.logger.info(this.fields(rest), String(message));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.logger.error(this.fields(rest), String(message));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.logger.warn(this.fields(rest), String(message));
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.logger.debug(this.fields(rest), String(message));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.logger.trace(this.fields(rest), String(message));
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.logger.fatal(this.fields(rest), String(message));
  }

  private fields(rest: unknown[]): Record<string, unknown> {
    const strings = rest.filter((r): r is string => typeof r === 'string');
    const context = strings.pop();
    return { ...(context ? { context } : {}), ...(strings.length ? { detail: strings } : {}) };
  }
}
