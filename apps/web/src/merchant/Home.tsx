import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiFailure, download } from '../shared/api';
import { BoardResult, checkBoard } from '../shared/BoardResult';
import type { BoardVerification } from '../shared/BoardResult';
import { useT } from '../shared/i18n';
import { text } from './text';
import type { Merchant } from './types';

/** The shop's status, its board downloads, and "check my board". */
export function Home({ merchant }: { merchant: Merchant }) {
  const { t, lang } = useT();
  const [failure, setFailure] = useState<string | null>(null);
  const accounts = merchant.payoutAccounts.filter((a) => a.active);
  const fail = (error: unknown) => setFailure(error instanceof ApiFailure ? error.text[lang] : String(error));
  const base = `/merchants/${merchant.id}`;

  return (
    <div className="stack">
      <section className="card" aria-labelledby="status-title">
        <h2 id="status-title">{merchant.shopName}</h2>
        <p>
          {t(text.status)}:{' '}
          <span
            className={`status status-${merchant.status}`}
            data-testid="merchant-status"
            data-status={merchant.status}
          >
            {t(text.statuses[merchant.status])}
          </span>
        </p>
        {merchant.statusReason && <p className="muted">{merchant.statusReason}</p>}
        {merchant.status === 'pending' && <p className="notice">{t(text.pendingSteps)}</p>}
      </section>
      {merchant.status === 'active' && (
        <section className="card stack" aria-labelledby="board-title">
          <h2 id="board-title">{t(text.board)}</h2>
          {failure && (
            <p className="error" role="alert">
              {failure}
            </p>
          )}
          {accounts.map((account) => {
            const q = `?account=${encodeURIComponent(account.accountNumber)}`;
            return (
              <div key={account.id} className="stack">
                <p>
                  {account.bankName ?? account.bankBin} · ****{account.accountNumber.slice(-4)} · {account.accountName}
                  <br />
                  {t(text.boardCode)}: <strong>{account.boardCode.replace(/^(.{4})/, '$1-')}</strong>
                </p>
                <div className="row">
                  <button
                    type="button"
                    data-testid="download-board-pdf"
                    onClick={() => download(`${base}/board.pdf${q}`, 'board.pdf').catch(fail)}
                  >
                    {t(text.boardPdf)}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => download(`${base}/board.svg${q}`, 'board.svg').catch(fail)}
                  >
                    {t(text.boardSvg)}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    data-testid="download-qr-png"
                    onClick={() => download(`${base}/qr.png${q}`, 'qr.png').catch(fail)}
                  >
                    {t(text.qrPng)}
                  </button>
                </div>
              </div>
            );
          })}
        </section>
      )}
      <CheckMyBoard merchant={merchant} />
    </div>
  );
}

function CheckMyBoard({ merchant }: { merchant: Merchant }) {
  const { t, lang } = useT();
  const [input, setInput] = useState('');
  const [result, setResult] = useState<BoardVerification | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const mine = new Set(merchant.payoutAccounts.filter((a) => a.active).map((a) => a.boardCode));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    setResult(null);
    try {
      setResult(await checkBoard(input));
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error.text[lang] : String(error));
    }
  }

  const isMine =
    result !== null && result.verdict === 'genuine' && result.boardCode !== null && mine.has(result.boardCode);
  return (
    <section className="card stack" aria-labelledby="check-title">
      <h2 id="check-title">{t(text.checkBoard)}</h2>
      <form className="stack" onSubmit={submit}>
        <label htmlFor="check-payload">
          {t(text.payload)}
          <textarea
            id="check-payload"
            rows={3}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            required
            aria-describedby="check-hint"
          />
          <span id="check-hint" className="muted">
            {t(text.checkBoardHint)}
          </span>
        </label>
        <button type="submit">{t(text.check)}</button>
      </form>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {result && (
        <>
          <p className={isMine ? 'notice' : 'flag'} data-testid="board-mine" data-mine={String(isMine)} role="status">
            {t(isMine ? text.boardIsMine : text.boardNotMine)}
          </p>
          <BoardResult result={result} />
        </>
      )}
    </section>
  );
}
