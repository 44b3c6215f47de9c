import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HealthRegistry } from '@cashless/observability';
import { Upstream } from './upstreams';

export const UPSTREAMS = Symbol('UPSTREAMS');

/** The gateway is healthy when every service behind it answers its own health check. */
@Injectable()
export class UpstreamHealth implements OnModuleInit {
  constructor(
    @Inject(UPSTREAMS) private readonly upstreams: Upstream[],
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    for (const upstream of this.upstreams) {
      this.health.register({
        name: upstream.name,
        check: async () => {
          const response = await fetch(new URL('/health', upstream.url), { signal: AbortSignal.timeout(1500) });
          if (!response.ok) throw new Error(`${upstream.name} answered ${response.status}`);
        },
      });
    }
  }
}
