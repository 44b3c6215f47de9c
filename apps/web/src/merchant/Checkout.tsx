import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { toString as qrSvg } from 'qrcode';
import { ApiFailure, sendJson } from '../shared/api';
import { formatVnd } from '../shared/format';
import { useT } from '../shared/i18n';
import { countdown, idempotencyKey, parseAmount } from './logic';
import { text } from './text';
import type { PaymentIntent, PaymentNotice } from './types';

const randomBytes = (bytes: Uint8Array) => crypto.getRandomValues(bytes);

/**
 * Checkout: amount → payment intent (one Idempotency-Key per attempt, so a double tap or a retry
 * never makes two) → the dynamic QR full-screen with amount and countdown, until the live feed
 * reports the payment.
 */
export function Checkout({ payments }: { payments: PaymentNotice[] }) {
  const { t, lang } = useT();
  const [typed, setTyped] = useState('');
  const [orderRef, setOrderRef] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attemptKey, setAttemptKey] = useState(() => idempotencyKey(randomBytes));
  const [intent, setIntent] = useState<PaymentIntent | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const amount = parseAmount(typed);
    if (amount === null) return setError(t(text.amountInvalid));
    setError(null);
    setBusy(true);
    try {
      const created = await sendJson<PaymentIntent>(
        'POST',
        '/payment-intents',
        { amount, ...(orderRef.trim() ? { orderRef: orderRef.trim() } : {}) },
        { 'idempotency-key': attemptKey },
      );
      setIntent(created);
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.text[lang] : String(failure));
    } finally {
      setBusy(false);
    }
  }

  function done(cancel: boolean) {
    if (cancel && intent) void sendJson('POST', `/payment-intents/${intent.id}/cancel`).catch(() => undefined);
    setIntent(null);
    setTyped('');
    setOrderRef('');
    setAttemptKey(idempotencyKey(randomBytes));
  }

  if (intent) {
    const paid = payments.find((p) => p.intentId === intent.id) ?? null;
    return <QrScreen intent={intent} paid={paid} onClose={done} />;
  }
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="checkout-title" data-testid="checkout-form">
      <h2 id="checkout-title">{t(text.checkout)}</h2>
      <label htmlFor="checkout-amount">
        {t(text.amount)}
        <input
          id="checkout-amount"
          inputMode="numeric"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'checkout-error' : undefined}
          style={{ fontSize: '1.6rem' }}
        />
      </label>
      {parseAmount(typed) !== null && <p className="big-total">{formatVnd(parseAmount(typed)!, lang)}</p>}
      <label htmlFor="checkout-ref">
        {t(text.orderRef)}
        <input id="checkout-ref" maxLength={40} value={orderRef} onChange={(e) => setOrderRef(e.target.value)} />
      </label>
      {error && (
        <p id="checkout-error" className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} style={{ fontSize: '1.2rem', padding: '0.8rem' }}>
        {t(text.showQr)}
      </button>
    </form>
  );
}

function QrScreen({
  intent,
  paid,
  onClose,
}: {
  intent: PaymentIntent;
  paid: PaymentNotice | null;
  onClose: (cancel: boolean) => void;
}) {
  const { t, lang } = useT();
  const [svg, setSvg] = useState('');
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    qrSvg(intent.qrPayload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }).then(setSvg, () => setSvg(''));
  }, [intent.qrPayload]);
  useEffect(() => {
    if (paid) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [paid]);

  const left = countdown(intent.expiresAt, now);
  return (
    <section
      className="checkout-qr"
      role="dialog"
      aria-modal="true"
      aria-labelledby="qr-amount"
      data-testid="checkout-qr"
      data-paid={String(paid !== null)}
    >
      <p id="qr-amount" className="amount">
        {formatVnd(intent.amount, lang)}
      </p>
      {paid ? (
        <p className="paid" role="status" data-testid="checkout-paid">
          ✔ {t(text.received)} {formatVnd(paid.amount, lang)}
        </p>
      ) : (
        <>
          <p>{t(text.scanToPay)}</p>
          <div
            role="img"
            aria-label={`VietQR ${intent.paymentCode}`}
            data-testid="checkout-qr-image"
            data-payload={intent.qrPayload}
            dangerouslySetInnerHTML={{ __html: svg }}
          />
          <p className="muted">{intent.paymentCode}</p>
          <p role="timer" aria-live="off" data-testid="checkout-countdown">
            {left.over ? t(text.expired) : `${t(text.expiresIn)} ${left.text}`}
          </p>
        </>
      )}
      <button type="button" onClick={() => onClose(!paid)} className={paid ? '' : 'secondary'}>
        {t(paid ? text.newCheckout : text.cancel)}
      </button>
    </section>
  );
}
