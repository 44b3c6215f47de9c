import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiFailure, getJson, officerToken, query } from '../../shared/api';
import { formatDay, formatMonth, monthEnd, vietnamToday } from '../../shared/format';
import { LoginForm } from '../../shared/LoginForm';
import { Page } from '../../shared/Page';
import type { Lang } from '../../shared/i18n';
import '../../shared/styles.css';
import { AreaCard } from '../AreaCards';
import { BreakdownView } from '../Breakdowns';
import { SeriesChart } from '../SeriesChart';
import { text } from '../text';
import type { Adoption, Breakdown, Series } from '../types';

interface Report {
  adoption: Adoption;
  series: Series;
  byCategory: Breakdown;
  byBank: Breakdown;
  definitions: Record<string, string>;
}

/** `/city/report?month=YYYY-MM&streetId=|wardId=`: one month of one area, laid out for printing. */
function MonthlyReport({ lang }: { lang: Lang }) {
  const params = new URLSearchParams(window.location.search);
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? params.get('month')! : vietnamToday().slice(0, 7);
  const range = {
    from: `${month}-01`,
    to: monthEnd(`${month}-01`),
    streetId: params.get('streetId') ?? undefined,
    wardId: params.get('wardId') ?? undefined,
  };
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([
      getJson<Adoption>(`/city/adoption${query(range)}`),
      getJson<Series>(`/city/timeseries${query({ ...range, granularity: 'day' })}`),
      getJson<Breakdown>(`/city/breakdown${query({ ...range, by: 'category' })}`),
      getJson<Breakdown>(`/city/breakdown${query({ ...range, by: 'bank' })}`),
      getJson<Record<string, string>>('/city/definitions'),
    ]).then(
      ([adoption, series, byCategory, byBank, definitions]) =>
        setReport({ adoption, series, byCategory, byBank, definitions }),
      (failure: unknown) => setError(failure instanceof ApiFailure ? failure.text[lang] : String(failure)),
    );
    // The URL is the report's only input: load once.
  }, []);

  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  if (!report) return <p className="muted">…</p>;
  const area = report.adoption.areas.length === 1 ? report.adoption.areas[0] : report.adoption.total;
  const areaName =
    report.adoption.areas.length === 1 ? `${area.streetName} (${area.wardName ?? ''})` : text.allAreas[lang];
  return (
    <article data-testid="monthly-report">
      <p>
        <strong>
          {text.reportMonth[lang]} {formatMonth(range.from)}
        </strong>{' '}
        · {areaName} · {formatDay(range.from)} – {formatDay(range.to)} · {text.generated[lang]}{' '}
        {formatDay(vietnamToday())}
      </p>
      <div className="no-print" style={{ display: 'flex', gap: '0.5rem', marginBottom: '1rem' }}>
        <button type="button" onClick={() => window.print()}>
          {text.print[lang]}
        </button>
        <a className="button secondary" href="/city">
          {text.backToDashboard[lang]}
        </a>
      </div>
      <div className="two-columns">
        <AreaCard area={area} title={areaName} lang={lang} testId="report-area" />
        <section className="card">
          <h3>{text.series[lang]}</h3>
          <SeriesChart series={report.series} campaigns={[]} lang={lang} />
        </section>
      </div>
      <div className="two-columns" style={{ marginTop: '1rem' }}>
        <BreakdownView
          breakdown={report.byCategory}
          title={text.byCategory[lang]}
          lang={lang}
          testId="report-category"
        />
        <BreakdownView breakdown={report.byBank} title={text.byBank[lang]} lang={lang} testId="report-bank" />
      </div>
      <section className="card" style={{ marginTop: '1rem' }}>
        <h3>{text.definitions[lang]}</h3>
        <dl>
          {Object.entries(report.definitions).map(([key, definition]) => (
            <div key={key}>
              <dt>
                <code>{key}</code>
              </dt>
              <dd>{definition}</dd>
            </div>
          ))}
        </dl>
      </section>
    </article>
  );
}

function ReportPage() {
  const [loggedIn, setLoggedIn] = useState(officerToken() !== null);
  return (
    <Page title={text.reportTitle}>
      {(lang) => (loggedIn ? <MonthlyReport lang={lang} /> : <LoginForm onLoggedIn={() => setLoggedIn(true)} />)}
    </Page>
  );
}

createRoot(document.getElementById('root')!).render(<ReportPage />);
