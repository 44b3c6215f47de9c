import { useCallback, useState } from 'react';
import { ApiFailure, getJson, sendJson } from '../shared/api';
import { formatDateTime } from '../shared/format';
import { useT } from '../shared/i18n';
import type { Localized } from '../shared/i18n';
import { LoadMore } from './LoadMore';
import { text } from './text';
import { PAGE_SIZE, usePagedList } from './usePagedList';
import { useLoad } from './useLoad';

type Status = keyof typeof text.statusNames;

export interface MerchantDetail {
  id: string;
  shopName: string;
  ownerName: string;
  phone: string;
  taxId: string;
  category: string;
  streetId: string;
  houseNumber: string;
  status: Status;
  statusReason: string | null;
  registeredAt: string;
  payoutAccounts: {
    id: string;
    bankBin: string;
    bankName: string | null;
    accountNumber: string;
    accountName: string;
    active: boolean;
    boardCode: string;
  }[];
  duplicateFlags?: {
    rule: keyof typeof text.duplicateRules;
    otherMerchantId: string;
    otherShopName: string;
    otherStatus: Status;
    account: string | null;
  }[];
}

interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: string; id: string | null; name: string | null };
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
}

function Flags({ merchant }: { merchant: MerchantDetail }) {
  const { t } = useT();
  const flags = merchant.duplicateFlags ?? [];
  if (flags.length === 0) return <span className="muted">{t(text.noFlags)}</span>;
  return (
    <ul className="flag" data-testid="duplicate-flags">
      {flags.map((f, i) => (
        <li key={i}>
          {text.duplicateRules[f.rule] ? t(text.duplicateRules[f.rule]) : f.rule}: {f.otherShopName} (
          {t(text.statusNames[f.otherStatus])})
        </li>
      ))}
    </ul>
  );
}

/** The review queue (pending, oldest first) or all merchants of a status. */
export function ReviewQueue({ onOpen }: { onOpen: (id: string) => void }) {
  const { t, lang } = useT();
  const [status, setStatus] = useState<Status>('pending');
  const list = usePagedList<MerchantDetail>(`/merchants?status=${status}&limit=${PAGE_SIZE}`, lang);
  const { rows: data, failure } = list;
  return (
    <section className="card stack" aria-labelledby="queue-title">
      <h2 id="queue-title">{t(text.review)}</h2>
      <label htmlFor="queue-status" style={{ maxWidth: 240 }}>
        {t(text.status)}
        <select id="queue-status" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
          {Object.entries(text.statusNames).map(([value, label]) => (
            <option key={value} value={value}>
              {t(label)}
            </option>
          ))}
        </select>
      </label>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {data && data.length === 0 && <p className="muted">{t(text.empty)}</p>}
      {data && data.length > 0 && (
        <table data-testid="review-queue">
          <thead>
            <tr>
              <th scope="col">{t(text.shop)}</th>
              <th scope="col">{t(text.registered)}</th>
              <th scope="col">{t(text.flags)}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {data.map((m) => (
              <tr key={m.id} data-merchant-id={m.id}>
                <td>
                  <strong>{m.shopName}</strong>
                  <br />
                  <span className="muted">{m.ownerName}</span>
                </td>
                <td>{formatDateTime(m.registeredAt)}</td>
                <td>
                  <Flags merchant={m} />
                </td>
                <td>
                  <button type="button" onClick={() => onOpen(m.id)} aria-label={`${t(text.open)} ${m.shopName}`}>
                    {t(text.open)}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && (
        <LoadMore
          shown={data.length}
          hasMore={list.hasMore}
          loading={list.loading}
          onMore={list.loadMore}
          testId="review-more"
        />
      )}
    </section>
  );
}

const decisions: { action: string; label: Localized; from: Status[]; needsReason: boolean }[] = [
  { action: 'approve', label: text.approve, from: ['pending'], needsReason: false },
  { action: 'reject', label: text.reject, from: ['pending'], needsReason: true },
  { action: 'suspend', label: text.suspend, from: ['active'], needsReason: true },
  { action: 'reinstate', label: text.reinstate, from: ['suspended'], needsReason: false },
];

/** One merchant: profile, accounts, duplicate flags, decisions and the audit log. */
export function MerchantReview({ merchantId, onBack }: { merchantId: string; onBack: () => void }) {
  const { t, lang } = useT();
  const load = useCallback(
    () =>
      Promise.all([
        getJson<MerchantDetail>(`/merchants/${merchantId}`),
        getJson<AuditEntry[]>(`/merchants/${merchantId}/audit-log`),
      ]),
    [merchantId],
  );
  const { data, failure, reload, setFailure } = useLoad(load, lang);
  const [reason, setReason] = useState('');

  async function decide(action: string, needsReason: boolean) {
    if (needsReason && !reason.trim()) return setFailure(t(text.reasonRequired));
    try {
      await sendJson('POST', `/merchants/${merchantId}/${action}`, reason.trim() ? { reason: reason.trim() } : {});
      setReason('');
      reload();
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error.text[lang] : String(error));
    }
  }

  const [merchant, audit] = data ?? [null, []];
  return (
    <section className="card stack" aria-labelledby="merchant-title" data-testid="merchant-review">
      <button type="button" className="secondary" onClick={onBack} style={{ alignSelf: 'flex-start' }}>
        {t(text.back)}
      </button>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {merchant && (
        <>
          <h2 id="merchant-title">{merchant.shopName}</h2>
          <p>
            {t(text.status)}:{' '}
            <span className={`status status-${merchant.status}`} data-testid="officer-merchant-status">
              {t(text.statusNames[merchant.status])}
            </span>
            {merchant.statusReason && <span className="muted"> — {merchant.statusReason}</span>}
          </p>
          <dl className="kpis">
            <dt>{t(text.owner)}</dt>
            <dd>{merchant.ownerName}</dd>
            <dt>{t(text.phone)}</dt>
            <dd>{merchant.phone}</dd>
            <dt>{t(text.taxId)}</dt>
            <dd>{merchant.taxId}</dd>
            <dt>{t(text.address)}</dt>
            <dd>{merchant.houseNumber}</dd>
          </dl>
          <h3>{t(text.accounts)}</h3>
          <ul>
            {merchant.payoutAccounts.map((a) => (
              <li key={a.id}>
                {a.bankName ?? a.bankBin} {a.accountNumber} — {a.accountName} · {a.boardCode} {a.active ? '' : '(off)'}
              </li>
            ))}
          </ul>
          <h3>{t(text.flags)}</h3>
          <Flags merchant={merchant} />
          <label htmlFor="decision-reason">
            {t(text.reason)}
            <input id="decision-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          </label>
          <div className="row">
            {decisions
              .filter((d) => d.from.includes(merchant.status))
              .map((d) => (
                <button
                  key={d.action}
                  type="button"
                  className={d.action === 'approve' || d.action === 'reinstate' ? '' : 'secondary'}
                  onClick={() => void decide(d.action, d.needsReason)}
                >
                  {t(d.label)}
                </button>
              ))}
          </div>
          <h3>{t(text.audit)}</h3>
          <table data-testid="audit-log">
            <thead>
              <tr>
                <th scope="col">{t(text.when)}</th>
                <th scope="col">{t(text.who)}</th>
                <th scope="col">{t(text.action)}</th>
                <th scope="col">{t(text.reason)}</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>{entry.actor.name ?? entry.actor.kind}</td>
                  <td>
                    {entry.action}
                    {entry.toStatus && ` → ${entry.toStatus}`}
                  </td>
                  <td>{entry.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
