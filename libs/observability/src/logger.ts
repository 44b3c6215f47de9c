import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { currentRequestId } from './request-context';

export type AppLogger = Logger;

/** How long a buffered log line may wait before it is written out. */
const LOG_FLUSH_MS = 500;

/**
 * Structured JSON logs (one line per event) with the service name and current request id.
 * Lines are buffered and written in blocks (flushed every LOG_FLUSH_MS and when the process
 * exits) instead of one write per line: a write is a system call, and one access line per
 * request cost a large share of a busy service's time. A SIGKILL may lose the last half second
 * of log lines, never data.
 */
export function createLogger(service: string, level = 'info'): AppLogger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
  setInterval(() => {
    // flush() throws once the stream is closed (at shutdown); nothing is left to write then.
    try {
      destination.flush();
    } catch {
      /* closed */
    }
  }, LOG_FLUSH_MS).unref();
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      redact: { paths: ['req.headers.authorization', 'req.headers["x-signature"]'], censor: '[redacted]' },
    },
    destination,
  );
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
