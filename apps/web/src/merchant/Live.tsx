import { formatTime, formatVnd } from '../shared/format';
import { useT } from '../shared/i18n';
import { todayTotal } from './logic';
import { text } from './text';
import type { PaymentNotice, Statement } from './types';

/** Live payments, newest first, with today's total and the speaker switch. */
export function Live({
  payments,
  connected,
  today,
  soundOn,
  onToggleSound,
}: {
  payments: PaymentNotice[];
  connected: boolean;
  today: Statement | null;
  soundOn: boolean;
  onToggleSound: () => void;
}) {
  const { t, lang } = useT();
  return (
    <div className="stack">
      <section className="card" aria-labelledby="total-title">
        <h2 id="total-title">{t(text.todayTotal)}</h2>
        <p className="big-total" data-testid="today-total">
          {formatVnd(todayTotal(today, payments), lang)}
        </p>
        <div className="row">
          <button type="button" aria-pressed={soundOn} onClick={onToggleSound} data-testid="sound-toggle">
            🔊 {t(soundOn ? text.soundOff : text.soundOn)}
          </button>
          <span className="muted" role="status">
            {t(connected ? text.liveConnected : text.liveWaiting)}
          </span>
        </div>
      </section>
      <section className="card" aria-labelledby="live-title">
        <h2 id="live-title">{t(text.live)}</h2>
        {payments.length === 0 ? (
          <p className="muted">{t(text.noPayments)}</p>
        ) : (
          <ul className="payments" aria-live="polite" data-testid="live-payments">
            {payments.map((p) => (
              <li key={p.paymentId} data-payment-id={p.paymentId}>
                <span>
                  <strong>{formatVnd(p.amount, lang)}</strong>
                  <br />
                  <span className="muted">
                    {formatTime(p.transferredAt)} · {p.payerName ?? '—'} · {p.orderRef ?? p.paymentCode ?? ''}
                  </span>
                </span>
                <span className="muted">{lang === 'vi' ? p.announcement : p.announcementEn}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
