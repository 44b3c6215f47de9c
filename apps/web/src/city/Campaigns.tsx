import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiFailure, getJson, query, sendJson } from '../shared/api';
import { formatChange, formatDay, formatNumber, formatVnd } from '../shared/format';
import type { Lang } from '../shared/i18n';
import { text } from './text';
import type { Campaign, CampaignComparison, CampaignReport, Comparison } from './types';

function Cells({ c, money, lang }: { c: Comparison | null; money?: boolean; lang: Lang }) {
  if (c === null) {
    return (
      <td colSpan={4} className="suppressed">
        {text.suppressed[lang]}
      </td>
    );
  }
  const f = (n: number) => (money ? formatVnd(Math.round(n), lang) : formatNumber(n, lang, 1));
  return (
    <>
      <td className="number">{f(c.before)}</td>
      <td className="number">{f(c.during)}</td>
      <td className="number">{f(c.change)}</td>
      <td className="number">{c.changePercent === null ? '—' : formatChange(c.changePercent, lang)}</td>
    </>
  );
}

function ComparisonRows({ label, c, lang }: { label: string; c: CampaignComparison; lang: Lang }) {
  const rows: [string, Comparison | null, boolean][] = [
    [text.payments[lang], c.paymentsCount, false],
    [text.value[lang], c.paymentsValue, true],
    [text.newMerchants[lang], c.newMerchants, false],
    [text.activeMerchants[lang], c.activeMerchants, false],
  ];
  return (
    <>
      {rows.map(([measure, comparison, money], i) => (
        <tr key={measure}>
          {i === 0 && (
            <th scope="rowgroup" rowSpan={rows.length}>
              {label}
            </th>
          )}
          <th scope="row">{measure}</th>
          <Cells c={comparison} money={money} lang={lang} />
        </tr>
      ))}
    </>
  );
}

/** A campaign's report: each measure's monthly average before and during, overall and per street. */
export function CampaignReportView({ report, lang }: { report: CampaignReport; lang: Lang }) {
  return (
    <div data-testid="campaign-report">
      <h3>
        {report.campaign.name}: {formatDay(report.periods.during.from)} – {formatDay(report.periods.during.to)} ·{' '}
        {text.before[lang]} {formatDay(report.periods.before.from)} – {formatDay(report.periods.before.to)}
      </h3>
      <div style={{ overflowX: 'auto' }}>
        <table>
          <thead>
            <tr>
              <th scope="col">{text.area[lang]}</th>
              <th scope="col">{text.measure[lang]}</th>
              <th scope="col" className="number">
                {text.before[lang]}
              </th>
              <th scope="col" className="number">
                {text.during[lang]}
              </th>
              <th scope="col" className="number">
                {text.change[lang]}
              </th>
              <th scope="col" className="number">
                {text.changePercent[lang]}
              </th>
            </tr>
          </thead>
          <tbody>
            <ComparisonRows label={text.overall[lang]} c={report.overall} lang={lang} />
            {report.streets.map((s) => (
              <ComparisonRows key={s.streetId} label={s.streetName} c={s} lang={lang} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Campaigns: the list, a form to add one, and the comparison with the months before. */
export function Campaigns({
  campaigns,
  area,
  lang,
  onChanged,
}: {
  campaigns: Campaign[];
  area: Record<string, string | undefined>;
  lang: Lang;
  onChanged: () => void;
}) {
  const [report, setReport] = useState<CampaignReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', startDate: '', endDate: '', monthsBefore: '3' });

  async function open(id: string) {
    setError(null);
    try {
      setReport(await getJson<CampaignReport>(`/city/campaigns/${id}/report${query(area)}`));
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.text[lang] : String(failure));
    }
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const created = await sendJson<Campaign>('POST', '/city/campaigns', {
        ...form,
        monthsBefore: Number(form.monthsBefore),
      });
      setForm({ name: '', startDate: '', endDate: '', monthsBefore: '3' });
      onChanged();
      if (created) await open(created.id);
    } catch (failure) {
      if (failure instanceof ApiFailure) {
        setError([failure.text[lang], ...failure.fields.map((f) => `${f.field}: ${f.message[lang]}`)].join(' · '));
      } else setError(String(failure));
    }
  }

  return (
    <section className="card" aria-labelledby="campaigns-title" data-testid="campaigns">
      <h2 id="campaigns-title">{text.campaigns[lang]}</h2>
      {campaigns.length === 0 ? (
        <p className="muted">{text.noCampaigns[lang]}</p>
      ) : (
        <table>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                <td>
                  {formatDay(c.startDate)} – {formatDay(c.endDate)}
                </td>
                <td>
                  <button type="button" className="secondary" onClick={() => void open(c.id)}>
                    {text.compare[lang]}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report && <CampaignReportView report={report} lang={lang} />}
      <form className="filters no-print" onSubmit={create} aria-label={text.newCampaign[lang]}>
        <label>
          {text.campaignName[lang]}
          <input
            required
            maxLength={200}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </label>
        <label>
          {text.startDate[lang]}
          <input
            type="date"
            required
            value={form.startDate}
            onChange={(e) => setForm({ ...form, startDate: e.target.value })}
          />
        </label>
        <label>
          {text.endDate[lang]}
          <input
            type="date"
            required
            value={form.endDate}
            onChange={(e) => setForm({ ...form, endDate: e.target.value })}
          />
        </label>
        <label>
          {text.monthsBefore[lang]}
          <input
            type="number"
            min={1}
            max={24}
            value={form.monthsBefore}
            onChange={(e) => setForm({ ...form, monthsBefore: e.target.value })}
          />
        </label>
        <button type="submit">{text.newCampaign[lang]}</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
