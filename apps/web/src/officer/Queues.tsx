import { useCallback, useState } from 'react';
import { ApiFailure, getJson, sendJson } from '../shared/api';
import { formatDateTime, formatVnd } from '../shared/format';
import { useT } from '../shared/i18n';
import { text } from './text';
import { useLoad } from './useLoad';

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
  const load = useCallback(
    () => getJson<{ data: Unattributed[] }>('/unattributed-transfers?status=open&limit=100'),
    [],
  );
  const { data, failure, reload, setFailure } = useLoad(load, lang);
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
      reload();
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
      {data && data.data.length === 0 && <p className="muted">{t(text.empty)}</p>}
      {data?.data.map((u) => (
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
  const load = useCallback(() => getJson<FraudReport[]>('/fraud-reports?limit=100'), []);
  const { data, failure } = useLoad(load, lang);
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
    </section>
  );
}

interface StreetRow {
  id: string;
  name: string;
  ward: { name: string };
  targetBusinesses: number | null;
  targetDate: string | null;
}

function TargetForm({ street, onSaved }: { street: StreetRow; onSaved: (message: string) => void }) {
  const { t, lang } = useT();
  const [target, setTarget] = useState(street.targetBusinesses?.toString() ?? '');
  const [date, setDate] = useState(street.targetDate ?? '');
  async function save() {
    try {
      const cleared = !target.trim();
      await sendJson('PUT', `/streets/${street.id}/target`, {
        targetBusinesses: cleared ? null : Number(target),
        targetDate: cleared || !date ? null : date,
      });
      onSaved(`${street.name}: ${t(text.saved)}`);
    } catch (error) {
      onSaved(error instanceof ApiFailure ? error.text[lang] : String(error));
    }
  }
  return (
    <tr>
      <td>
        {street.name}
        <br />
        <span className="muted">{street.ward.name}</span>
      </td>
      <td>
        <input
          aria-label={`${t(text.target)} — ${street.name}`}
          inputMode="numeric"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          style={{ width: '6rem' }}
        />
      </td>
      <td>
        <input
          aria-label={`${t(text.targetDate)} — ${street.name}`}
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
      </td>
      <td>
        <button type="button" onClick={() => void save()}>
          {t(text.save)}
        </button>
      </td>
    </tr>
  );
}

/** The city's targets per street (shops to enrol by a date). */
export function StreetTargets() {
  const { t, lang } = useT();
  const load = useCallback(() => getJson<StreetRow[]>('/streets'), []);
  const { data, failure } = useLoad(load, lang);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <section className="card stack" aria-labelledby="streets-title">
      <h2 id="streets-title">{t(text.streets)}</h2>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t(text.ward)}</th>
            <th scope="col">{t(text.target)}</th>
            <th scope="col">{t(text.targetDate)}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {data?.map((s) => (
            <TargetForm key={s.id} street={s} onSaved={setMessage} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
