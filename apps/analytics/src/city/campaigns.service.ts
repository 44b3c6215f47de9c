import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiError } from '@cashless/observability';
import { bucketsOf, monthCoverage } from '../kpi/calendar';
import { campaignPeriods, compare, monthEquivalents, monthlyAverage, weightedMonthlyAverage } from '../kpi/campaign';
import type { CampaignPeriods, Comparison, Period } from '../kpi/campaign';
import { isSmallCell } from '../kpi/suppression';
import type { AreaSegment } from '../streets/street-scope';
import { CityService } from './city.service';
import type { NewCampaign } from './city-params';
import { activeMerchants, merchantArrivals, paymentSums } from './read-queries';
import type { KeyedBucket, MerchantCount, PaymentSums, Segment } from './read-queries';

export interface Campaign {
  id: string;
  name: string;
  startDate: string;
  endDate: string;
  monthsBefore: number;
  createdBy: string;
  createdAt: string;
}

/** The measures a campaign report compares, per month. */
interface PeriodMeasures {
  paymentsCount: number;
  paymentsValue: number;
  newMerchants: number;
  activeMerchants: number;
  /** Merchants with a payment in the period: what suppression is decided on. */
  payingMerchants: number;
}

type PeriodName = keyof CampaignPeriods;

const notFound = () => ApiError.notFound({ vi: 'Không tìm thấy chiến dịch', en: 'Campaign not found' });

/**
 * Campaigns: named periods officers define (e.g. a 92-day drive from 1 June to 31 August), and
 * their report, the monthly average during the campaign against the months before it.
 */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly city: CityService,
  ) {}

  async create(input: NewCampaign, officer: string): Promise<Campaign> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO campaign (id, name, start_date, end_date, months_before, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [randomUUID(), input.name, input.startDate, input.endDate, input.monthsBefore, officer],
    )) as CampaignRow[];
    return toCampaign(row);
  }

  async list(): Promise<Campaign[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM campaign ORDER BY start_date DESC, created_at DESC`,
    )) as CampaignRow[];
    return rows.map(toCampaign);
  }

  async get(id: string): Promise<Campaign> {
    const [row] = (await this.dataSource.query(`SELECT ${COLUMNS} FROM campaign WHERE id = $1`, [id])) as CampaignRow[];
    if (!row) throw notFound();
    return toCampaign(row);
  }

  async remove(id: string): Promise<void> {
    const result = (await this.dataSource.query('DELETE FROM campaign WHERE id = $1 RETURNING id', [id])) as unknown[];
    // TypeORM answers a DELETE … RETURNING with [rows, count].
    const rows = Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
    if (rows.length === 0) throw notFound();
  }

  async report(id: string, filter: { streetId?: string; wardId?: string }) {
    const campaign = await this.get(id);
    const periods = campaignPeriods(campaign.startDate, campaign.endDate, campaign.monthsBefore);
    // The scope over both periods, so a former ward keeps only the days it existed.
    const scope = await this.city.scope({ from: periods.before.from, to: periods.during.to, ...filter });
    const { before, during } = await this.measure(scope, periods);
    const months = {
      before: { monthEquivalents: monthEquivalents(periods.before) },
      during: { monthEquivalents: monthEquivalents(periods.during) },
    };
    const comparison = (streetId: string | null) => {
      const b = before.get(streetId ?? 'all')!;
      const d = during.get(streetId ?? 'all')!;
      const suppressed = isSmallCell(b.payingMerchants) || isSmallCell(d.payingMerchants);
      const pair = (key: keyof PeriodMeasures, flow: boolean): Comparison =>
        compare(
          flow ? monthlyAverage(b[key], months.before) : b[key],
          flow ? monthlyAverage(d[key], months.during) : d[key],
        );
      return {
        paymentsCount: suppressed ? null : pair('paymentsCount', true),
        paymentsValue: suppressed ? null : pair('paymentsValue', true),
        newMerchants: pair('newMerchants', true),
        activeMerchants: pair('activeMerchants', false),
        suppressed,
      };
    };
    return {
      campaign,
      periods,
      monthEquivalents: {
        before: round2(months.before.monthEquivalents),
        during: round2(months.during.monthEquivalents),
      },
      overall: comparison(null),
      streets: scope.map((s) => ({
        streetId: s.street.id,
        streetName: s.street.name,
        wardName: s.wardName,
        ...comparison(s.street.id),
      })),
    };
  }

  /**
   * Totals of both periods per street and overall; active merchants already averaged per month.
   * Both periods are measured together: one request for their sums, one for their arrivals, one
   * for their merchant counts (month by month and over each whole period).
   */
  private async measure(
    scope: AreaSegment[],
    periods: CampaignPeriods,
  ): Promise<Record<PeriodName, Map<string, PeriodMeasures>>> {
    const em = this.dataSource.manager;
    const segmentsIn = (period: Period): Segment[] =>
      scope
        .map((s) => ({
          streetId: s.street.id,
          from: s.from > period.from ? s.from : period.from,
          to: s.to < period.to ? s.to : period.to,
        }))
        .filter((s) => s.from <= s.to);
    const both = { from: periods.before.from, to: periods.during.to };
    const bucketsIn = (name: PeriodName): KeyedBucket[] => [
      ...bucketsOf('month', periods[name].from, periods[name].to).map((b) => ({ ...b, key: `${name}|${b.start}` })),
      { start: periods[name].from, ...periods[name], key: `${name}|paying` },
    ];
    // Each period's segments under the period's name.
    const keyed = [
      ...segmentsIn(periods.before).map((s) => ({ ...s, key: 'before' })),
      ...segmentsIn(periods.during).map((s) => ({ ...s, key: 'during' })),
    ];
    const [sums, arrivals, active] = await Promise.all([
      paymentSums(em, keyed, {}, ['street']),
      merchantArrivals(em, keyed, undefined, 'month', true),
      activeMerchants(em, segmentsIn(both), {}, ['street'], [...bucketsIn('before'), ...bucketsIn('during')], 'month'),
    ]);
    const measuresOf = (name: PeriodName) =>
      this.periodMeasures(
        scope,
        periods[name],
        sums.filter((r) => r.bucket === name),
        arrivals.filter((a) => a.key === name),
        active
          .filter((r) => r.bucket.startsWith(`${name}|`))
          .map((r) => ({ ...r, bucket: r.bucket.slice(name.length + 1) })),
      );
    return { before: measuresOf('before'), during: measuresOf('during') };
  }

  /** One period's measures from its rows (active merchants keyed by month start, and `paying`). */
  private periodMeasures(
    scope: AreaSegment[],
    period: Period,
    sums: PaymentSums[],
    arrivals: { street?: string; registered: number }[],
    active: MerchantCount[],
  ): Map<string, PeriodMeasures> {
    const months = monthCoverage(period.from, period.to);
    const monthlyByStreet = active.filter((r) => r.bucket !== 'paying');
    const payingByStreet = active.filter((r) => r.bucket === 'paying');
    // Streets hold disjoint merchants: the overall counts are the streets' sums.
    const total = (rows: MerchantCount[]) =>
      [
        ...rows
          .reduce((m, r) => m.set(r.bucket, (m.get(r.bucket) ?? 0) + r.merchants), new Map<string, number>())
          .entries(),
      ].map(([bucket, merchants]) => ({ bucket, merchants }));
    const [monthlyAll, payingAll] = [total(monthlyByStreet), total(payingByStreet)];
    const fraction = new Map(months.map((m) => [m.month, m.fraction]));
    const activeAverage = (rows: { bucket: string; merchants: number }[]) =>
      weightedMonthlyAverage(
        months.map((m) => ({
          value: rows.find((r) => r.bucket === m.month)?.merchants ?? 0,
          fraction: fraction.get(m.month)!,
        })),
      );
    const result = new Map<string, PeriodMeasures>();
    const all: PeriodMeasures = {
      paymentsCount: 0,
      paymentsValue: 0,
      newMerchants: 0,
      activeMerchants: activeAverage(monthlyAll),
      payingMerchants: payingAll[0]?.merchants ?? 0,
    };
    for (const s of scope) {
      const id = s.street.id;
      const sum = sums.find((r) => r.street === id);
      const measures: PeriodMeasures = {
        paymentsCount: sum?.count ?? 0,
        paymentsValue: sum?.value ?? 0,
        newMerchants: arrivals.filter((a) => a.street === id).reduce((n, a) => n + a.registered, 0),
        activeMerchants: activeAverage(monthlyByStreet.filter((r) => r.street === id)),
        payingMerchants: payingByStreet.find((r) => r.street === id)?.merchants ?? 0,
      };
      all.paymentsCount += measures.paymentsCount;
      all.paymentsValue += measures.paymentsValue;
      all.newMerchants += measures.newMerchants;
      result.set(id, measures);
    }
    result.set('all', all);
    return result;
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

const COLUMNS = `id::text, name, start_date::text, end_date::text, months_before, created_by, created_at`;

interface CampaignRow {
  id: string;
  name: string;
  start_date: string;
  end_date: string;
  months_before: number;
  created_by: string;
  created_at: Date;
}

function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    startDate: row.start_date,
    endDate: row.end_date,
    monthsBefore: row.months_before,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
