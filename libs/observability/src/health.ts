export interface HealthCheck {
  name: string;
  /** Resolves when the dependency is usable; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export interface HealthReport {
  status: 'ok' | 'error';
  service: string;
  checks: Record<string, { status: 'up' | 'down'; error?: string; latencyMs: number }>;
}

/** The dependencies a service needs to do its job; `GET /health` reports each of them. */
export class HealthRegistry {
  private readonly checks: HealthCheck[] = [];

  constructor(private readonly service: string) {}

  register(check: HealthCheck): void {
    this.checks.push(check);
  }

  async report(timeoutMs = 2000): Promise<HealthReport> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        const started = Date.now();
        try {
          await withTimeout(c.check(), timeoutMs, `${c.name} check timed out`);
          return [c.name, { status: 'up' as const, latencyMs: Date.now() - started }] as const;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [c.name, { status: 'down' as const, error: message, latencyMs: Date.now() - started }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const status = results.every(([, r]) => r.status === 'up') ? 'ok' : 'error';
    return { status, service: this.service, checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
