import { useEffect, useState } from 'react';
import { ApiFailure, download, getJson } from '../shared/api';
import { formatDay, formatTime, formatVnd, vietnamToday } from '../shared/format';
import { useT } from '../shared/i18n';
import { text } from './text';
import type { Statement as StatementData } from './types';

/** One day's statement (today by default): totals by channel, the entries, and its CSV. */
export function Statement({ merchantId, refreshKey }: { merchantId: string; refreshKey: number }) {
  const { t, lang } = useT();
  const [day, setDay] = useState(vietnamToday());
  const [statement, setStatement] = useState<StatementData | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const path = `/merchants/${merchantId}/statement`;

  useEffect(() => {
    let current = true;
    getJson<StatementData>(`${path}?date=${day}`).then(
      (s) => {
        if (!current) return;
        setStatement(s);
        setFailure(null);
      },
      (error) => current && setFailure(error instanceof ApiFailure ? error.text[lang] : t(text.statementUnavailable)),
    );
    return () => {
      current = false;
    };
  }, [path, day, refreshKey, lang]);

  return (
    <section className="card stack" aria-labelledby="statement-title" data-testid="statement">
      <h2 id="statement-title">
        {t(text.statement)} {formatDay(day)}
      </h2>
      <div className="row">
        <label htmlFor="statement-day">
          {t(text.day)}
          <input
            id="statement-day"
            type="date"
            value={day}
            max={vietnamToday()}
            onChange={(e) => e.target.value && setDay(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            download(`${path}.csv?date=${day}`, `statement-${day}.csv`).catch((error) =>
              setFailure(error instanceof ApiFailure ? error.text[lang] : String(error)),
            )
          }
          data-testid="statement-csv"
        >
          {t(text.downloadCsv)}
        </button>
      </div>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {statement && (
        <>
          <table>
            <caption className="muted">{t(text.channel)}</caption>
            <thead>
              <tr>
                <th scope="col">{t(text.channel)}</th>
                <th scope="col" className="number">
                  {t(text.count)}
                </th>
                <th scope="col" className="number">
                  {t(text.value)}
                </th>
              </tr>
            </thead>
            <tbody>
              {(['dynamic_qr', 'static_qr', 'refunds'] as const).map((channel) => (
                <tr key={channel} data-channel={channel}>
                  <td>{t(text.channels[channel])}</td>
                  <td className="number">{statement.totals[channel].count}</td>
                  <td className="number" data-field="value">
                    {formatVnd(statement.totals[channel].value, lang)}
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t(text.net)}</th>
                <td />
                <td className="number" data-testid="statement-net">
                  <strong>{formatVnd(statement.net, lang)}</strong>
                </td>
              </tr>
            </tbody>
          </table>
          {statement.entries.length === 0 ? (
            <p className="muted">{t(text.noEntries)}</p>
          ) : (
            <table data-testid="statement-entries">
              <thead>
                <tr>
                  <th scope="col">{t(text.time)}</th>
                  <th scope="col">{t(text.channel)}</th>
                  <th scope="col">{t(text.payer)}</th>
                  <th scope="col" className="number">
                    {t(text.value)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {statement.entries.map((e) => (
                  <tr key={`${e.transactionId}-${e.channel}`} data-payment-id={e.paymentId ?? ''}>
                    <td>{formatTime(e.at)}</td>
                    <td>
                      {text.channels[e.channel as keyof typeof text.channels]
                        ? t(text.channels[e.channel as keyof typeof text.channels])
                        : e.channel}
                    </td>
                    <td>{e.payerName ?? e.orderRef ?? '—'}</td>
                    <td className="number">{formatVnd(e.amount, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
