import { useCallback, useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { CampaignReportView } from '../city/Campaigns';
import type { Campaign, CampaignReport } from '../city/types';
import { ApiFailure, getJson, sendJson } from '../shared/api';
import { formatDay, formatNumber } from '../shared/format';
import { FieldNote, describedBy } from '../shared/FieldNote';
import { useT } from '../shared/i18n';
import type { Localized } from '../shared/i18n';
import { checkCampaign, checkTarget, displayDay, placeFieldErrors } from './logic';
import type { CampaignDraft, CampaignField, FieldErrors, TargetDraft, TargetField } from './logic';
import { text } from './text';
import { useLoad } from './useLoad';

/** One labelled field with its hint, and its error next to it (announced, and tied to the input). */
function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: Localized;
  hint?: Localized;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(id, hint, error) })}
      <FieldNote id={id} hint={hint} error={error} />
    </div>
  );
}

interface StreetRow {
  id: string;
  name: string;
  ward: { name: string };
  targetBusinesses: number | null;
  targetDate: string | null;
}

const TARGET_FIELDS: TargetField[] = ['targetBusinesses', 'targetDate'];

/** One street's target: shops expected to join, by when (`PUT /streets/:id/target`). */
function StreetTarget({ street }: { street: StreetRow }) {
  const { t, lang } = useT();
  const [saved, setSaved] = useState(street);
  const [draft, setDraft] = useState<TargetDraft>({
    targetBusinesses: street.targetBusinesses?.toString() ?? '',
    targetDate: displayDay(street.targetDate),
  });
  const [errors, setErrors] = useState<FieldErrors<TargetField>>({});
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const edit = (field: TargetField, value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
    setMessage(null);
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    const checked = checkTarget(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      setMessage({ text: t(text.fixFields), bad: true });
      return;
    }
    setBusy(true);
    try {
      const updated = await sendJson<StreetRow>('PUT', `/streets/${street.id}/target`, checked.body);
      if (updated) setSaved(updated);
      setErrors({});
      setMessage({ text: t(text.saved), bad: false });
    } catch (error) {
      if (error instanceof ApiFailure) {
        const placed = placeFieldErrors(error.fields, TARGET_FIELDS);
        setErrors(placed.errors);
        setMessage({ text: [error.text[lang], ...placed.other.map((o) => o[lang])].join(' · '), bad: true });
      } else setMessage({ text: String(error), bad: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={save} noValidate aria-label={street.name} data-street-id={street.id}>
      <h3>
        {street.name} <span className="muted">· {street.ward.name}</span>
      </h3>
      <p className="muted" data-testid="street-target-saved">
        {saved.targetBusinesses === null
          ? t(text.noTarget)
          : `${t(text.target)}: ${formatNumber(saved.targetBusinesses, lang)}${
              saved.targetDate ? ` · ${t(text.targetDate)} ${formatDay(saved.targetDate)}` : ''
            }`}
      </p>
      <div className="filters fields">
        <Field label={t(text.target)} error={errors.targetBusinesses}>
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={draft.targetBusinesses}
              onChange={(e) => edit('targetBusinesses', e.target.value)}
            />
          )}
        </Field>
        <Field label={t(text.targetDate)} error={errors.targetDate} hint={text.dateHint}>
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              placeholder="dd/mm/yyyy"
              value={draft.targetDate}
              onChange={(e) => edit('targetDate', e.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy} className="field-action">
          {t(text.save)}
        </button>
      </div>
      {message && (
        <p role={message.bad ? 'alert' : 'status'} className={message.bad ? 'error' : 'notice'}>
          {message.text}
        </p>
      )}
    </form>
  );
}

/** The city's targets per street (shops to enrol by a date); the dashboard scores streets against them. */
export function StreetTargets() {
  const { t, lang } = useT();
  const load = useCallback(() => getJson<StreetRow[]>('/streets'), []);
  const { data, failure } = useLoad(load, lang);
  return (
    <section className="stack" aria-labelledby="streets-title" data-testid="street-targets">
      <h2 id="streets-title">{t(text.streets)}</h2>
      <p className="muted">{t(text.targetHint)}</p>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {data?.map((s) => (
        <StreetTarget key={s.id} street={s} />
      ))}
    </section>
  );
}

const CAMPAIGN_FIELDS: CampaignField[] = ['name', 'startDate', 'endDate', 'monthsBefore'];
const emptyCampaign: CampaignDraft = { name: '', startDate: '', endDate: '', monthsBefore: '3' };

/** Campaigns (analytics): list, create, delete, and each one's report against the months before. */
export function Campaigns() {
  const { t, lang } = useT();
  const load = useCallback(() => getJson<{ campaigns: Campaign[] }>('/city/campaigns'), []);
  const { data, failure, reload, setFailure } = useLoad(load, lang);
  const [draft, setDraft] = useState<CampaignDraft>(emptyCampaign);
  const [errors, setErrors] = useState<FieldErrors<CampaignField>>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [report, setReport] = useState<CampaignReport | null>(null);
  const [busy, setBusy] = useState(false);

  const edit = (field: CampaignField, value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
    setFormMessage(null);
  };

  async function openReport(id: string) {
    setFailure(null);
    try {
      setReport(await getJson<CampaignReport>(`/city/campaigns/${id}/report`));
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error.text[lang] : String(error));
    }
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setStatus(null);
    const checked = checkCampaign(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      setFormMessage(t(text.fixFields));
      return;
    }
    setBusy(true);
    try {
      const created = await sendJson<Campaign>('POST', '/city/campaigns', checked.body);
      setDraft(emptyCampaign);
      setErrors({});
      setFormMessage(null);
      setStatus(`${t(text.created)}: ${checked.body.name}`);
      reload();
      if (created) await openReport(created.id);
    } catch (error) {
      if (error instanceof ApiFailure) {
        const placed = placeFieldErrors(error.fields, CAMPAIGN_FIELDS);
        setErrors(placed.errors);
        setFormMessage([error.text[lang], ...placed.other.map((o) => o[lang])].join(' · '));
      } else setFormMessage(String(error));
    } finally {
      setBusy(false);
    }
  }

  async function remove(campaign: Campaign) {
    if (!window.confirm(t(text.confirmRemove).replace('{name}', campaign.name))) return;
    setStatus(null);
    try {
      await sendJson('DELETE', `/city/campaigns/${campaign.id}`);
      if (report?.campaign.id === campaign.id) setReport(null);
      setStatus(`${t(text.removed)}: ${campaign.name}`);
      reload();
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error.text[lang] : String(error));
    }
  }

  const campaigns = data?.campaigns ?? [];
  return (
    <section className="stack" aria-labelledby="campaigns-title" data-testid="officer-campaigns">
      <h2 id="campaigns-title">{t(text.campaigns)}</h2>
      <p className="muted">{t(text.campaignsIntro)}</p>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {status && (
        <p role="status" className="notice">
          {status}
        </p>
      )}
      <div className="card">
        {data && campaigns.length === 0 && <p className="muted">{t(text.noCampaigns)}</p>}
        {campaigns.length > 0 && (
          <table data-testid="campaign-list">
            <thead>
              <tr>
                <th scope="col">{t(text.campaignName)}</th>
                <th scope="col">{t(text.period)}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id} data-campaign-id={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>
                    {formatDay(c.startDate)} – {formatDay(c.endDate)}
                  </td>
                  <td>
                    <div className="row">
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => void openReport(c.id)}
                        aria-label={`${t(text.report)}: ${c.name}`}
                      >
                        {t(text.report)}
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => void remove(c)}
                        aria-label={`${t(text.remove)}: ${c.name}`}
                      >
                        {t(text.remove)}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {report && (
        <div className="card stack">
          <CampaignReportView report={report} lang={lang} />
          <div className="row">
            <a className="button secondary" href="/city">
              {t(text.onDashboard)}
            </a>
            <button type="button" className="secondary" onClick={() => setReport(null)}>
              {t(text.closeReport)}
            </button>
          </div>
        </div>
      )}
      <form className="card stack" onSubmit={create} noValidate aria-labelledby="new-campaign-title">
        <h3 id="new-campaign-title">{t(text.createCampaign)}</h3>
        <Field label={t(text.campaignName)} error={errors.name}>
          {(p) => <input {...p} maxLength={200} value={draft.name} onChange={(e) => edit('name', e.target.value)} />}
        </Field>
        <div className="filters fields">
          <Field label={t(text.startDate)} error={errors.startDate} hint={text.dateHint}>
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                placeholder="dd/mm/yyyy"
                value={draft.startDate}
                onChange={(e) => edit('startDate', e.target.value)}
              />
            )}
          </Field>
          <Field label={t(text.endDate)} error={errors.endDate} hint={text.dateHint}>
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                placeholder="dd/mm/yyyy"
                value={draft.endDate}
                onChange={(e) => edit('endDate', e.target.value)}
              />
            )}
          </Field>
          <Field label={t(text.monthsBefore)} error={errors.monthsBefore}>
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={24}
                value={draft.monthsBefore}
                onChange={(e) => edit('monthsBefore', e.target.value)}
              />
            )}
          </Field>
        </div>
        {formMessage && (
          <p className="error" role="alert">
            {formMessage}
          </p>
        )}
        <button type="submit" disabled={busy} style={{ alignSelf: 'flex-start' }}>
          {t(text.createCampaign)}
        </button>
      </form>
    </section>
  );
}
