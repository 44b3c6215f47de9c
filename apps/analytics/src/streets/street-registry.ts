import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@cashless/observability';
import { ANALYTICS_CONFIG } from '../analytics.config';
import type { AnalyticsConfig } from '../analytics.config';
import type { RegistryStreet } from './street-scope';

/**
 * The street registry (names, dated wards, targets) belongs to the merchant service; merchant
 * events carry only street ids. Analytics reads the public `GET /api/v1/streets` and keeps it for
 * a short while; when the merchant service does not answer, the last copy keeps serving.
 */
@Injectable()
export class StreetRegistry {
  private cached?: { streets: RegistryStreet[]; until: number };
  private pending?: Promise<RegistryStreet[]>;

  constructor(@Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig) {}

  async streets(): Promise<RegistryStreet[]> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.streets;
    this.pending ??= this.fetchStreets().finally(() => (this.pending = undefined));
    try {
      return await this.pending;
    } catch (error) {
      if (this.cached) return this.cached.streets;
      throw error;
    }
  }

  private async fetchStreets(): Promise<RegistryStreet[]> {
    let body: unknown;
    try {
      const response = await fetch(new URL('/api/v1/streets', this.config.merchantUrl), {
        signal: AbortSignal.timeout(3_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch {
      throw new ApiError(503, 'street_registry_unavailable', {
        vi: 'Tạm thời không đọc được danh mục tuyến phố, vui lòng thử lại',
        en: 'The street registry is temporarily unavailable, please retry',
      });
    }
    const streets = (body as RegistryStreet[]).map((s) => ({
      id: s.id,
      name: s.name,
      ward: s.ward,
      history: s.history ?? [],
      targetBusinesses: s.targetBusinesses ?? null,
      targetDate: s.targetDate ?? null,
    }));
    this.cached = { streets, until: Date.now() + this.config.streetRegistryCacheMs };
    return streets;
  }
}
