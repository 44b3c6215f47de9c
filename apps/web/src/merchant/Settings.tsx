import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiFailure, getJson, sendJson } from '../shared/api';
import { formatDateTime } from '../shared/format';
import { useT } from '../shared/i18n';
import { text } from './text';
import type { ApiKey, Webhook } from './types';

/** API keys (create, shown once; revoke) and the webhook URL (set, disable, rotate, test). */
export function Settings({ merchantId }: { merchantId: string }) {
  const { t, lang } = useT();
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [webhook, setWebhook] = useState<Webhook | null>(null);
  const [label, setLabel] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const base = `/merchants/${merchantId}`;

  const reload = useCallback(async () => {
    setKeys(await getJson<ApiKey[]>(`${base}/api-keys`));
    try {
      const current = await getJson<Webhook>(`${base}/webhooks`);
      setWebhook(current);
      setUrl(current.url);
    } catch (error) {
      if (!(error instanceof ApiFailure && error.status === 404)) throw error;
      setWebhook(null);
    }
  }, [base]);

  const run = (action: () => Promise<void>) => async (event?: FormEvent) => {
    event?.preventDefault();
    setFailure(null);
    setMessage(null);
    try {
      await action();
      await reload();
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error.text[lang] : String(error));
    }
  };

  useEffect(() => {
    reload().catch((error) => setFailure(error instanceof ApiFailure ? error.text[lang] : String(error)));
  }, [reload, lang]);

  const createKey = run(async () => {
    const created = await sendJson<{ apiKey: string }>(
      'POST',
      `${base}/api-keys`,
      label.trim() ? { label: label.trim() } : {},
    );
    setSecret(created!.apiKey);
    setLabel('');
  });
  const saveWebhook = run(async () => {
    const saved = await sendJson<Webhook>('PUT', `${base}/webhooks`, { url: url.trim(), enabled: true });
    setSecret(saved?.secret ?? null);
  });
  const rotate = run(async () =>
    setSecret((await sendJson<{ secret: string }>('POST', `${base}/webhooks/rotate-secret`))!.secret),
  );

  return (
    <div className="stack">
      {secret && (
        <div className="card" role="status">
          <p>{t(text.shownOnce)}</p>
          <p className="secret" data-testid="shown-once">
            {secret}
          </p>
        </div>
      )}
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      <section className="card stack" aria-labelledby="keys-title">
        <h2 id="keys-title">{t(text.apiKeys)}</h2>
        <table data-testid="api-keys">
          <thead>
            <tr>
              <th scope="col">{t(text.keyLabel)}</th>
              <th scope="col">{t(text.created)}</th>
              <th scope="col">{t(text.lastUsed)}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td>
                  {key.label ?? '—'} <span className="muted">{key.prefix}…</span>
                </td>
                <td>{formatDateTime(key.createdAt)}</td>
                <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : '—'}</td>
                <td>
                  {key.revokedAt ? (
                    t(text.revoked)
                  ) : (
                    <button
                      type="button"
                      className="secondary"
                      onClick={() =>
                        void run(async () => void (await sendJson('POST', `${base}/api-keys/${key.id}/revoke`)))()
                      }
                    >
                      {t(text.revoke)}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form className="row" onSubmit={createKey}>
          <label htmlFor="key-label">
            {t(text.keyLabel)}
            <input id="key-label" maxLength={100} value={label} onChange={(e) => setLabel(e.target.value)} />
          </label>
          <button type="submit">{t(text.createKey)}</button>
        </form>
      </section>
      <section className="card stack" aria-labelledby="webhook-title">
        <h2 id="webhook-title">{t(text.webhook)}</h2>
        <p className="muted" data-testid="webhook-state">
          {webhook
            ? `${t(webhook.enabled ? text.enabled : text.disabled)} · ${webhook.secretPrefix}…`
            : t(text.noWebhook)}
        </p>
        <form className="stack" onSubmit={saveWebhook}>
          <label htmlFor="webhook-url">
            {t(text.webhookUrl)}
            <input id="webhook-url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
          </label>
          <div className="row">
            <button type="submit">{t(text.save)}</button>
            {webhook?.enabled && (
              <>
                <button type="button" className="secondary" onClick={() => void rotate()}>
                  {t(text.rotate)}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    void run(async () => {
                      await sendJson('POST', `${base}/webhooks/test`);
                      setMessage(t(text.testSent));
                    })()
                  }
                >
                  {t(text.sendTest)}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void run(async () => void (await sendJson('DELETE', `${base}/webhooks`)))()}
                >
                  {t(text.disable)}
                </button>
              </>
            )}
          </div>
        </form>
      </section>
    </div>
  );
}
