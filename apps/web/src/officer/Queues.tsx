import { useState } from 'react';
import { ApiFailure, sendJson } from '../shared/api';
import { formatDateTime, formatVnd } from '../shared/format';
import { useT } from '../shared/i18n';
import { LoadMore } from './LoadMore';
import { text } from './text';
import { PAGE_SIZE, usePagedList } from './usePagedList';

interface Unattributed {
  id: string;
  status: string;
  reason: string;
  createdAt: string;
  transfer: {
    bankBin: string;
    accountNumber: string;
    amount: number;
    content: string;
    payerName: string | null;
    transferredAt: string;
  };
}

/** Transfers matching could not attribute: assign to a merchant or dismiss, with a note. */
export function UnattributedQueue() {
  const { t, lang } = useT();
  const list = usePagedList<Unattributed>(`/unattributed-transfers?status=open&limit=${PAGE_SIZE}`, lang);
  const { rows, failure, setFailure } = list;
  const [inputs, setInputs] = useState<Record<string, { merchantId: string; note: string }>>({});
  const input = (id: string) => inputs[id] ?? { merchantId: '', note: '' };
  const edit = (id: string, change: Partial<{ merchantId: string; note: string }>) =>
    setInputs((all) => ({ ...all, [id]: { ...input(id), ...change } }));

  async function decide(id: string, action: 'assign' | 'dismiss') {
    const { merchantId, note } = input(id);
    const body =
      action === 'assign'
        ? { merchantId: merchantId.trim(), ...(note.trim() ? { note: note.trim() } : {}) }
        : { reason: note.trim() };
    try {
      await sendJson('POST', `/unattributed-transfers/${id}/${action}`, body);
      list.remove(id);
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error.text[lang] : String(error));
    }
  }

  return (
    <section className="card stack" aria-labelledby="unattributed-title">
      <h2 id="unattributed-title">{t(text.unattributed)}</h2>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {rows && rows.length === 0 && <p className="muted">{t(text.empty)}</p>}
      {rows?.map((u) => (
        <article key={u.id} className="card stack" data-testid="unattributed-item">
          <p>
            <strong>{formatVnd(u.transfer.amount, lang)}</strong> · {formatDateTime(u.transfer.transferredAt)} ·{' '}
            {u.reason}
            <br />
            {t(text.account)}: {u.transfer.bankBin} {u.transfer.accountNumber} · {t(text.content)}: “
            {u.transfer.content}” · {u.transfer.payerName ?? ''}
          </p>
          <div className="filters">
            <label htmlFor={`assign-${u.id}`}>
              {t(text.merchantId)}
              <input
                id={`assign-${u.id}`}
                value={input(u.id).merchantId}
                onChange={(e) => edit(u.id, { merchantId: e.target.value })}
              />
            </label>
            <label htmlFor={`note-${u.id}`}>
              {t(text.note)} / {t(text.reason)}
              <input
                id={`note-${u.id}`}
                value={input(u.id).note}
                onChange={(e) => edit(u.id, { note: e.target.value })}
              />
            </label>
            <button type="button" onClick={() => void decide(u.id, 'assign')}>
              {t(text.assign)}
            </button>
            <button type="button" className="secondary" onClick={() => void decide(u.id, 'dismiss')}>
              {t(text.dismiss)}
            </button>
          </div>
        </article>
      ))}
      {rows && (
        <LoadMore
          shown={rows.length}
          hasMore={list.hasMore}
          loading={list.loading}
          onMore={list.loadMore}
          testId="unattributed-more"
        />
      )}
    </section>
  );
}

interface FraudReport {
  id: string;
  boardCode: string;
  shopName: string | null;
  merchantStatus: string | null;
  maskedAccount: string | null;
  reason: string;
  note: string | null;
  reporterContact: string | null;
  reportedAt: string;
}

/** The public's board reports, newest first. */
export function FraudReports() {
  const { t, lang } = useT();
  const list = usePagedList<FraudReport>(`/fraud-reports?limit=${PAGE_SIZE}`, lang);
  const { rows: data, failure } = list;
  return (
    <section className="card stack" aria-labelledby="fraud-title">
      <h2 id="fraud-title">{t(text.fraud)}</h2>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {data && data.length === 0 && <p className="muted">{t(text.empty)}</p>}
      {data && data.length > 0 && (
        <table data-testid="fraud-reports">
          <thead>
            <tr>
              <th scope="col">{t(text.when)}</th>
              <th scope="col">{t(text.boardCode)}</th>
              <th scope="col">{t(text.shop)}</th>
              <th scope="col">{t(text.reason)}</th>
              <th scope="col">{t(text.contact)}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.reportedAt)}</td>
                <td>{r.boardCode}</td>
                <td>
                  {r.shopName ?? '—'} {r.maskedAccount ?? ''}
                </td>
                <td>
                  {r.reason}
                  {r.note && <span className="muted"> — {r.note}</span>}
                </td>
                <td>{r.reporterContact ?? ''}</td>
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
          testId="fraud-more"
        />
      )}
    </section>
  );
}
