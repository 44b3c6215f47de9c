import { useCallback, useEffect, useState } from 'react';
import { ApiFailure, download, getJson, query } from '../shared/api';
import { addDays, formatDay, vietnamToday } from '../shared/format';
import type { Lang } from '../shared/i18n';
import { AreaCard } from './AreaCards';
import { BreakdownView } from './Breakdowns';
import { Campaigns } from './Campaigns';
import { SeriesChart } from './SeriesChart';
import { text } from './text';
import type { Adoption, Areas, Breakdown, Campaign, Series } from './types';

interface Filters {
  from: string;
  to: string;
  /** '' (all), 'street:<id>' or 'ward:<id>'. */
  area: string;
  granularity: 'day' | 'week' | 'month';
  category: string;
  bank: string;
}

interface Data {
  adoption: Adoption;
  series: Series;
  byCategory: Breakdown;
  byBank: Breakdown;
  campaigns: Campaign[];
}

function areaParams(area: string): Record<string, string | undefined> {
  const [kind, id] = area.split(':');
  return { streetId: kind === 'street' ? id : undefined, wardId: kind === 'ward' ? id : undefined };
}

/** The officers' dashboard: filters, cards per street and ward, series, breakdowns, campaigns, export. */
export function Dashboard({ lang, onLoggedOut }: { lang: Lang; onLoggedOut: () => void }) {
  const today = vietnamToday();
  const [filters, setFilters] = useState<Filters>({
    from: addDays(today, -89),
    to: today,
    area: '',
    granularity: 'week',
    category: '',
    bank: '',
  });
  const [areas, setAreas] = useState<Areas | null>(null);
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const fail = useCallback(
    (failure: unknown) => {
      if (failure instanceof ApiFailure && failure.status === 401) return onLoggedOut();
      if (failure instanceof ApiFailure) {
        setError([failure.text[lang], ...failure.fields.map((f) => `${f.field}: ${f.message[lang]}`)].join(' · '));
      } else setError(String(failure));
    },
    [lang, onLoggedOut],
  );

  useEffect(() => {
    getJson<Areas>('/city/areas').then(setAreas, fail);
  }, [fail]);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    const range = { from: filters.from, to: filters.to, ...areaParams(filters.area) };
    try {
      const [adoption, series, byCategory, byBank, campaigns] = await Promise.all([
        getJson<Adoption>(`/city/adoption${query(range)}`),
        getJson<Series>(
          `/city/timeseries${query({ ...range, granularity: filters.granularity, category: filters.category, bank: filters.bank })}`,
        ),
        getJson<Breakdown>(`/city/breakdown${query({ ...range, by: 'category' })}`),
        getJson<Breakdown>(`/city/breakdown${query({ ...range, by: 'bank' })}`),
        getJson<{ campaigns: Campaign[] }>('/city/campaigns'),
      ]);
      setData({ adoption, series, byCategory, byBank, campaigns: campaigns.campaigns });
    } catch (failure) {
      fail(failure);
    } finally {
      setLoading(false);
    }
  }, [filters, fail]);

  useEffect(() => {
    void load();
  }, [load]);

  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }));
  const exportCsv = () =>
    download(
      `/city/export.csv${query({ dataset: 'adoption', from: filters.from, to: filters.to, ...areaParams(filters.area) })}`,
      'cashless-adoption.csv',
    ).catch(fail);
  const reportMonth = filters.to.slice(0, 7);
  const reportLink = `/city/report${query({ month: reportMonth, ...areaParams(filters.area) })}`;

  return (
    <>
      <section className="card no-print" aria-labelledby="filters-title">
        <h2 id="filters-title">{text.filters[lang]}</h2>
        <div className="filters">
          <label>
            {text.from[lang]}
            <input
              type="date"
              name="from"
              value={filters.from}
              max={filters.to}
              onChange={(e) => e.target.value && set({ from: e.target.value })}
            />
          </label>
          <label>
            {text.to[lang]}
            <input
              type="date"
              name="to"
              value={filters.to}
              min={filters.from}
              onChange={(e) => e.target.value && set({ to: e.target.value })}
            />
          </label>
          <label>
            {text.area[lang]}
            <select name="area" value={filters.area} onChange={(e) => set({ area: e.target.value })}>
              <option value="">{text.allAreas[lang]}</option>
              <optgroup label={text.ward[lang]}>
                {areas?.wards.map((w) => (
                  <option key={w.id} value={`ward:${w.id}`}>
                    {w.name}
                    {w.validTo ? ` (${text.formerWard[lang]} ${formatDay(w.validTo)})` : ''}
                  </option>
                ))}
              </optgroup>
              <optgroup label={text.street[lang]}>
                {areas?.streets.map((s) => (
                  <option key={s.id} value={`street:${s.id}`}>
                    {s.name}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <label>
            {text.granularity[lang]}
            <select
              name="granularity"
              value={filters.granularity}
              onChange={(e) => set({ granularity: e.target.value as Filters['granularity'] })}
            >
              <option value="day">{text.day[lang]}</option>
              <option value="week">{text.week[lang]}</option>
              <option value="month">{text.month[lang]}</option>
            </select>
          </label>
          <label>
            {text.category[lang]}
            <select name="category" value={filters.category} onChange={(e) => set({ category: e.target.value })}>
              <option value="">{text.all[lang]}</option>
              {areas?.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.label[lang]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {text.bank[lang]}
            <select name="bank" value={filters.bank} onChange={(e) => set({ bank: e.target.value })}>
              <option value="">{text.all[lang]}</option>
              {areas?.banks.map((b) => (
                <option key={b.bin} value={b.bin}>
                  {b.label[lang]}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void exportCsv()} data-testid="export-csv">
            {text.exportCsv[lang]}
          </button>
          <a className="button secondary" href={reportLink}>
            {text.monthlyReport[lang]}
          </a>
        </div>
        <p className="muted">{text.suppressedNote[lang]}</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </section>
      <div aria-busy={loading} aria-live="polite">
        {data && (
          <>
            <h2>{text.adoption[lang]}</h2>
            <div className="grid" data-testid="area-cards">
              {data.adoption.areas.map((a) => (
                <AreaCard
                  key={a.streetId}
                  area={a}
                  title={a.streetName ?? ''}
                  lang={lang}
                  testId={`area-${a.streetId}`}
                />
              ))}
            </div>
            <h2>{text.wards[lang]}</h2>
            <div className="grid">
              {data.adoption.wards.map((w) => (
                <AreaCard
                  key={w.wardId ?? 'none'}
                  area={w}
                  title={w.wardName ?? '—'}
                  lang={lang}
                  testId={`ward-${w.wardId}`}
                />
              ))}
              <AreaCard area={data.adoption.total} title={text.total[lang]} lang={lang} testId="area-total" />
            </div>
            <section className="card" aria-labelledby="series-title" style={{ marginTop: '1rem' }}>
              <h2 id="series-title">{text.series[lang]}</h2>
              <SeriesChart series={data.series} campaigns={data.campaigns} lang={lang} />
            </section>
            <div className="two-columns" style={{ marginTop: '1rem' }}>
              <BreakdownView
                breakdown={data.byCategory}
                title={text.byCategory[lang]}
                lang={lang}
                testId="breakdown-category"
              />
              <BreakdownView breakdown={data.byBank} title={text.byBank[lang]} lang={lang} testId="breakdown-bank" />
            </div>
            <div style={{ marginTop: '1rem' }}>
              <Campaigns
                campaigns={data.campaigns}
                area={areaParams(filters.area)}
                lang={lang}
                onChanged={() => void load()}
              />
            </div>
          </>
        )}
      </div>
    </>
  );
}
