import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { categoryLabel } from '@cashless/contracts';
import { ApiError } from '@cashless/observability';
import type { LocalizedText } from '@cashless/observability';
import { addDays, bucketsOf } from '../kpi/calendar';
import { averageTicket, funnelOf, ratio, withGrowth } from '../kpi/ratios';
import type { Funnel } from '../kpi/ratios';
import { isSmallCell, maskPayments, suppressBreakdown } from '../kpi/suppression';
import { ALL_STREETS } from '../projections/shopper-sketch';
import { StreetRegistry } from '../streets/street-registry';
import { resolveScope, wardsOf } from '../streets/street-scope';
import type { AreaSegment, ScopeQuery } from '../streets/street-scope';
import type { AdoptionQuery, BreakdownQuery, TimeseriesQuery } from './city-params';
import { CATEGORIES } from './city-params';
import { bankLabel } from './labels';
import { ANALYTICS_CONFIG } from '../analytics.config';
import type { AnalyticsConfig } from '../analytics.config';
import {
  ClosedSketchCache,
  activeMerchants,
  funnelCounts,
  merchantArrivals,
  merchantsIn,
  paymentSums,
  uniqueShoppers,
} from './read-queries';
import type { Dimension, Filters, PaymentSums, Segment } from './read-queries';

/** Payment figures of a cell; all null when the cell is suppressed. */
export interface PaymentFigures {
  paymentsCount: number | null;
  paymentsValue: number | null;
  averageTicket: number | null;
  lateRate: number | null;
  failureRate: number | null;
}

export interface AdoptionArea extends Funnel, PaymentFigures {
  streetId: string | null;
  streetName: string | null;
  wardId: string | null;
  wardName: string | null;
  from: string;
  to: string;
  targetDate: string | null;
  uniqueShoppers: number | null;
  /** Merchants with at least one payment in the period (what suppression is decided on). */
  payingMerchants: number;
  suppressed: boolean;
}

interface AreaCounts {
  target: number | null;
  registered: number;
  approved: number;
  active7d: number;
  active30d: number;
  paying: number;
  sums: PaymentSums;
  shoppers: number;
}

const NO_SUMS: PaymentSums = { count: 0, value: 0, late: 0, failed: 0 };

function figuresOf(sums: PaymentSums): PaymentFigures {
  return {
    paymentsCount: sums.count,
    paymentsValue: sums.value,
    averageTicket: averageTicket(sums.value, sums.count),
    lateRate: ratio(sums.late, sums.count),
    failureRate: ratio(sums.failed, sums.count),
  };
}

function addSums(a: PaymentSums, b: PaymentSums): PaymentSums {
  return { count: a.count + b.count, value: a.value + b.value, late: a.late + b.late, failed: a.failed + b.failed };
}

/** No street or ward chosen: the whole city's shopper sketches answer for the total. */
const wholeCity = (query: ScopeQuery) => query.streetId === undefined && query.wardId === undefined;

const segmentOf = (s: AreaSegment): Segment => ({ streetId: s.street.id, from: s.from, to: s.to });

/** Segments clipped to [from, to] (those left empty dropped). */
function clip(segments: Segment[], from: string, to: string): Segment[] {
  return segments
    .map((s) => ({ streetId: s.streetId, from: s.from > from ? s.from : from, to: s.to < to ? s.to : to }))
    .filter((s) => s.from <= s.to);
}

function spanOf(segments: Segment[]): { start: string; from: string; to: string } {
  const from = segments.reduce((m, s) => (s.from < m ? s.from : m), segments[0]?.from ?? '9999-12-31');
  const to = segments.reduce((m, s) => (s.to > m ? s.to : m), segments[0]?.to ?? '0000-01-01');
  return { start: from, from, to };
}

/**
 * The city's read side: adoption funnel, time series and breakdowns, assembled from the derived
 * tables and the street registry, with small cells suppressed. Aggregates only: nothing here
 * names a shop, an account or a shopper.
 */
@Injectable()
export class CityService {
  private readonly closedSketches: ClosedSketchCache;

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: StreetRegistry,
    @Inject(ANALYTICS_CONFIG) config: Pick<AnalyticsConfig, 'sketchCacheMs'>,
  ) {
    this.closedSketches = new ClosedSketchCache(config.sketchCacheMs);
  }

  async scope(query: ScopeQuery): Promise<AreaSegment[]> {
    const result = resolveScope(await this.registry.streets(), query);
    if (!result.ok) throw ApiError.validation(result.errors);
    return result.segments;
  }

  /** What the dashboard's filters offer: streets with their targets, wards current and former, categories, banks seen. */
  async areas() {
    const streets = await this.registry.streets();
    const banks = (await this.dataSource.query(
      'SELECT DISTINCT bank_bin FROM merchant_activity ORDER BY bank_bin',
    )) as { bank_bin: string }[];
    return {
      streets: streets.map((s) => ({
        id: s.id,
        name: s.name,
        wardId: s.ward?.id ?? null,
        wardName: s.ward?.name ?? null,
        targetBusinesses: s.targetBusinesses,
        targetDate: s.targetDate,
      })),
      wards: wardsOf(streets),
      categories: CATEGORIES.map((code) => ({ code, label: categoryLabel(code) })),
      banks: banks.map((b) => ({ bin: b.bank_bin, label: bankLabel(b.bank_bin) })),
    };
  }

  async adoption(query: AdoptionQuery) {
    const scope = await this.scope(query);
    const em = this.dataSource.manager;
    const segments = scope.map(segmentOf);
    // Activity windows end on the last day each street counts; they may reach back before `from`.
    const window = (key: string, days: number) =>
      segments.map((s) => ({ ...s, key, from: days ? addDays(s.to, -(days - 1)) : s.from }));
    const [sums, merchants, funnel, shoppers] = await Promise.all([
      paymentSums(em, segments, {}, ['street']),
      merchantsIn(em, [...window('paying', 0), ...window('7d', 7), ...window('30d', 30)], {}, ['street']),
      funnelCounts(em, segments),
      uniqueShoppers(em, this.shopperGroups(scope, wholeCity(query)), this.closedSketches),
    ]);
    const countsOf = (key: string) =>
      new Map(merchants.filter((m) => m.bucket === key).map((m) => [m.street!, m.merchants]));
    const [paying, active7, active30] = [countsOf('paying'), countsOf('7d'), countsOf('30d')];
    const sumsByStreet = new Map(sums.map((s) => [s.street!, s]));
    const counts = new Map<string, AreaCounts>(
      scope.map((s) => {
        const id = s.street.id;
        return [
          id,
          {
            target: s.street.targetBusinesses,
            registered: funnel.get(id)?.registered ?? 0,
            approved: funnel.get(id)?.approved ?? 0,
            active7d: active7.get(id) ?? 0,
            active30d: active30.get(id) ?? 0,
            paying: paying.get(id) ?? 0,
            sums: sumsByStreet.get(id) ?? NO_SUMS,
            shoppers: shoppers.get(`street:${id}`) ?? 0,
          },
        ];
      }),
    );
    const areaOf = (
      names: Pick<AdoptionArea, 'streetId' | 'streetName' | 'wardId' | 'wardName' | 'from' | 'to' | 'targetDate'>,
      c: AreaCounts,
      suppressed: boolean,
    ): AdoptionArea => ({
      ...names,
      ...funnelOf({
        targetBusinesses: c.target,
        registered: c.registered,
        approved: c.approved,
        active7d: c.active7d,
        active30d: c.active30d,
      }),
      ...maskPayments(figuresOf(c.sums), suppressed),
      uniqueShoppers: suppressed ? null : c.shoppers,
      payingMerchants: c.paying,
      suppressed,
    });
    const streetRows = suppressBreakdown(
      scope.map((s) => ({
        segment: s,
        counts: counts.get(s.street.id)!,
        merchants: counts.get(s.street.id)!.paying,
        paymentsValue: counts.get(s.street.id)!.sums.value,
      })),
    );
    const areas = streetRows.map((row) =>
      areaOf(
        {
          streetId: row.segment.street.id,
          streetName: row.segment.street.name,
          wardId: row.segment.wardId,
          wardName: row.segment.wardName,
          from: row.segment.from,
          to: row.segment.to,
          targetDate: row.segment.street.targetDate,
        },
        row.counts,
        row.suppressed,
      ),
    );
    const rollup = (rows: { segment: AreaSegment; counts: AreaCounts }[], shopperKey: string): AreaCounts => {
      const withTarget = rows.filter((r) => r.counts.target !== null);
      return rows.reduce<AreaCounts>(
        (sum, r) => ({
          target: sum.target,
          registered: sum.registered + r.counts.registered,
          approved: sum.approved + r.counts.approved,
          active7d: sum.active7d + r.counts.active7d,
          active30d: sum.active30d + r.counts.active30d,
          paying: sum.paying + r.counts.paying,
          sums: addSums(sum.sums, r.counts.sums),
          shoppers: sum.shoppers,
        }),
        {
          // An area's target is known only when every street in it has one.
          target: withTarget.length === rows.length ? withTarget.reduce((s, r) => s + r.counts.target!, 0) : null,
          registered: 0,
          approved: 0,
          active7d: 0,
          active30d: 0,
          paying: 0,
          sums: NO_SUMS,
          shoppers: shoppers.get(shopperKey) ?? 0,
        },
      );
    };
    const byWard = new Map<string, typeof streetRows>();
    for (const row of streetRows) {
      const key = row.segment.wardId ?? 'none';
      byWard.set(key, [...(byWard.get(key) ?? []), row]);
    }
    const wardRows = suppressBreakdown(
      [...byWard.entries()].map(([wardId, rows]) => {
        const c = rollup(rows, `ward:${wardId}`);
        return {
          wardId,
          wardName: rows[0].segment.wardName,
          counts: c,
          merchants: c.paying,
          paymentsValue: c.sums.value,
        };
      }),
    );
    const total = rollup(streetRows, 'total');
    return {
      from: query.from,
      to: query.to,
      areas,
      wards: wardRows.map((w) =>
        areaOf(
          {
            streetId: null,
            streetName: null,
            wardId: w.wardId === 'none' ? null : w.wardId,
            wardName: w.wardName,
            from: query.from,
            to: query.to,
            targetDate: null,
          },
          w.counts,
          w.suppressed,
        ),
      ),
      total: areaOf(
        {
          streetId: null,
          streetName: null,
          wardId: null,
          wardName: null,
          from: query.from,
          to: query.to,
          targetDate: null,
        },
        total,
        isSmallCell(total.paying),
      ),
    };
  }

  async timeseries(query: TimeseriesQuery) {
    const scope = await this.scope(query);
    const em = this.dataSource.manager;
    const segments = scope.map(segmentOf);
    const citySegment = [{ streetId: ALL_STREETS, from: query.from, to: query.to }];
    const filters: Filters = { category: query.category, bank: query.bank };
    const buckets = bucketsOf(query.granularity, query.from, query.to);
    const noShoppers = filters.category !== undefined || filters.bank !== undefined;
    const city = wholeCity(query);
    const [sums, active, arrivals, shoppers] = await Promise.all([
      paymentSums(em, city ? citySegment : segments, filters, [], query.granularity),
      // Filtered counts come from per-merchant masks, which have no whole-city rows.
      activeMerchants(
        em,
        city && noShoppers === false ? citySegment : segments,
        filters,
        [],
        buckets,
        query.granularity,
      ),
      filters.bank === undefined ? merchantArrivals(em, segments, filters.category, query.granularity) : null,
      noShoppers
        ? null
        : uniqueShoppers(
            em,
            new Map(buckets.map((b) => [b.start, clip(city ? citySegment : segments, b.from, b.to)])),
            this.closedSketches,
          ),
    ]);
    const sumsByBucket = new Map(sums.map((s) => [s.bucket!, s]));
    const activeByBucket = new Map(active.map((a) => [a.bucket, a.merchants]));
    const arrivalsByBucket = new Map((arrivals ?? []).map((a) => [a.bucket, a]));
    const points = buckets.map((b) => {
      const merchants = activeByBucket.get(b.start) ?? 0;
      const suppressed = isSmallCell(merchants);
      return {
        ...b,
        ...maskPayments(figuresOf(sumsByBucket.get(b.start) ?? NO_SUMS), suppressed),
        uniqueShoppers: shoppers === null || suppressed ? null : (shoppers.get(b.start) ?? 0),
        activeMerchants: merchants,
        newMerchants: arrivals === null ? null : (arrivalsByBucket.get(b.start)?.registered ?? 0),
        approvedMerchants: arrivals === null ? null : (arrivalsByBucket.get(b.start)?.approved ?? 0),
        suppressed,
      };
    });
    return {
      granularity: query.granularity,
      from: query.from,
      to: query.to,
      filters: {
        streetId: query.streetId ?? null,
        wardId: query.wardId ?? null,
        category: query.category ?? null,
        bank: query.bank ?? null,
      },
      points: withGrowth(points),
    };
  }

  async breakdown(query: BreakdownQuery) {
    const scope = await this.scope(query);
    const em = this.dataSource.manager;
    const segments = scope.map(segmentOf);
    const dim: Dimension = query.by === 'ward' ? 'street' : query.by;
    // By category or bank over the whole city: its own rows, one per category × bank and bucket.
    const sumsOver =
      wholeCity(query) && dim !== 'street' ? [{ streetId: ALL_STREETS, from: query.from, to: query.to }] : segments;
    const [sums, merchants] = await Promise.all([
      paymentSums(em, sumsOver, {}, [dim]),
      this.merchantsBy(segments, {}, [dim]),
    ]);
    // A street's ward is the one the report files it under (current, or the former one asked for).
    const wardOf = new Map(scope.map((s) => [s.street.id, { id: s.wardId ?? 'none', name: s.wardName }]));
    const streetName = new Map(scope.map((s) => [s.street.id, s.street.name]));
    const groups = new Map<string, { label: LocalizedText; sums: PaymentSums; merchants: number }>();
    const keyOf = (raw: string) => (query.by === 'ward' ? wardOf.get(raw)!.id : raw);
    const labelOf = (key: string, raw: string): LocalizedText => {
      if (query.by === 'category') return categoryLabel(key);
      if (query.by === 'bank') return bankLabel(key);
      const name = query.by === 'street' ? (streetName.get(key) ?? key) : (wardOf.get(raw)?.name ?? '—');
      return { vi: name, en: name };
    };
    const groupOf = (raw: string) => {
      const key = keyOf(raw);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { label: labelOf(key, raw), sums: NO_SUMS, merchants: 0 }));
      return group;
    };
    if (query.by === 'street' || query.by === 'ward') for (const s of scope) groupOf(s.street.id);
    for (const s of sums) groupOf(s[dim]!).sums = addSums(groupOf(s[dim]!).sums, s);
    for (const [raw, count] of merchants) groupOf(raw).merchants += count;
    const total = [...groups.values()].reduce((t, g) => addSums(t, g.sums), NO_SUMS);
    const rows = suppressBreakdown(
      [...groups.entries()].map(([key, g]) => ({ key, ...g, paymentsValue: g.sums.value })),
    ).sort((a, b) => b.sums.value - a.sums.value || a.key.localeCompare(b.key));
    const totalMerchants = rows.reduce((s, r) => s + r.merchants, 0);
    return {
      by: query.by,
      from: query.from,
      to: query.to,
      rows: rows.map((r) => ({
        key: r.key,
        label: r.label,
        ...maskPayments(
          {
            ...figuresOf(r.sums),
            shareOfCount: ratio(r.sums.count, total.count),
            shareOfValue: ratio(r.sums.value, total.value),
          },
          r.suppressed,
        ),
        payingMerchants: r.merchants,
        suppressed: r.suppressed,
      })),
      total: {
        ...maskPayments(figuresOf(total), isSmallCell(totalMerchants)),
        payingMerchants: totalMerchants,
        suppressed: isSmallCell(totalMerchants),
      },
    };
  }

  /** Distinct paying merchants over the segments' own days, by one dimension. */
  async merchantsBy(segments: Segment[], filters: Filters, dims: Dimension[]): Promise<Map<string, number>> {
    if (segments.length === 0) return new Map();
    const rows = await activeMerchants(this.dataSource.manager, segments, filters, dims, [spanOf(segments)]);
    return new Map(rows.map((r) => [dims.length ? r[dims[0]]! : 'all', r.merchants]));
  }

  /** Shopper sketch groups of an adoption report: per street, per ward, and the total. */
  private shopperGroups(scope: AreaSegment[], city: boolean): Map<string, Segment[]> {
    const groups = new Map<string, Segment[]>();
    const add = (key: string, s: Segment) => groups.set(key, [...(groups.get(key) ?? []), s]);
    for (const area of scope) {
      const s = segmentOf(area);
      add(`street:${area.street.id}`, s);
      add(`ward:${area.wardId ?? 'none'}`, s);
      if (!city) add('total', s);
    }
    if (city && scope.length > 0) add('total', { streetId: ALL_STREETS, from: scope[0].from, to: scope[0].to });
    return groups;
  }
}
