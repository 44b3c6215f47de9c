import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiError } from '@cashless/observability';
import { NOTICE_OPTIONS } from './notice-options';
import type { NoticeOptions } from './notice-options';

/** The merchant's webhook settings as shown: the secret itself only right after it was made. */
export interface WebhookSettingsView {
  merchantId: string;
  url: string;
  enabled: boolean;
  /** Enough of the secret to tell which one a receiver holds. */
  secretPrefix: string;
  /** Until when the secret before the last rotation still signs deliveries (null: none). */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookSettingsWithSecret extends WebhookSettingsView {
  /** Shown once: store it now, it cannot be read again (rotate to get a new one). */
  secret: string;
}

interface EndpointRow {
  merchant_id: string;
  url: string;
  enabled: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The endpoint as the delivery worker needs it: where to post and which secrets sign. */
export interface DeliveryEndpoint {
  url: string;
  enabled: boolean;
  secrets: string[];
}

const SECRET_PREFIX = 'whsec_';
const SHOWN_PREFIX_CHARS = SECRET_PREFIX.length + 4;

const newSecret = () => SECRET_PREFIX + randomBytes(32).toString('base64url');

export const webhookNotConfigured = () =>
  ApiError.notFound({
    vi: 'Cửa hàng chưa cài đặt webhook',
    en: 'No webhook is configured for this merchant',
  });

function view(row: EndpointRow, now: Date): WebhookSettingsView {
  const previousValid = row.previous_secret_expires_at && row.previous_secret_expires_at > now;
  return {
    merchantId: row.merchant_id,
    url: row.url,
    enabled: row.enabled,
    secretPrefix: `${row.secret.slice(0, SHOWN_PREFIX_CHARS)}…`,
    previousSecretExpiresAt: previousValid ? row.previous_secret_expires_at!.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The secrets that sign a delivery now: the current one, and the previous one until it expires. */
export function signingSecrets(
  row: Pick<EndpointRow, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>,
  now: Date,
): string[] {
  const previousValid = row.previous_secret && row.previous_secret_expires_at && row.previous_secret_expires_at > now;
  return previousValid ? [row.secret, row.previous_secret!] : [row.secret];
}

/** A merchant's webhook endpoint (one per merchant): URL, on/off, signing secret and its rotation. */
@Injectable()
export class WebhookEndpoints {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(NOTICE_OPTIONS) private readonly options: NoticeOptions,
  ) {}

  async get(merchantId: string, now = new Date()): Promise<WebhookSettingsView> {
    const row = await this.find(merchantId);
    if (!row) throw webhookNotConfigured();
    return view(row, now);
  }

  /**
   * Sets the URL (and on/off). The first time, a secret is made and returned once; later calls keep
   * it, so changing the URL does not break the receiver's signature check.
   */
  async put(
    merchantId: string,
    settings: { url: string; enabled: boolean },
    now = new Date(),
  ): Promise<{ created: boolean; settings: WebhookSettingsView | WebhookSettingsWithSecret }> {
    const secret = newSecret();
    const rows = (await this.dataSource.query(
      `INSERT INTO merchant_webhook (merchant_id, url, enabled, secret, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (merchant_id) DO UPDATE SET url = EXCLUDED.url, enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at
       RETURNING *, (xmax = 0) AS created`,
      [merchantId, settings.url, settings.enabled, secret, now],
    )) as (EndpointRow & { created: boolean })[];
    const row = rows[0];
    if (!settings.enabled) await this.cancelPending(merchantId, now);
    return row.created
      ? { created: true, settings: { ...view(row, now), secret: row.secret } }
      : { created: false, settings: view(row, now) };
  }

  /** A new secret, shown once; the old one keeps signing (as a second `v1`) for a grace period. */
  async rotateSecret(merchantId: string, now = new Date()): Promise<WebhookSettingsWithSecret> {
    const rows = (await this.dataSource.query(
      `WITH rotated AS (
         UPDATE merchant_webhook
         SET previous_secret = secret, previous_secret_expires_at = $3, secret = $2, updated_at = $4
         WHERE merchant_id = $1 RETURNING *)
       SELECT * FROM rotated`,
      [merchantId, newSecret(), new Date(now.getTime() + this.options.previousSecretValidityMs), now],
    )) as EndpointRow[];
    if (!rows[0]) throw webhookNotConfigured();
    return { ...view(rows[0], now), secret: rows[0].secret };
  }

  /** Turns deliveries off (settings kept) and cancels what was still waiting to be sent. */
  async disable(merchantId: string, now = new Date()): Promise<WebhookSettingsView> {
    const rows = (await this.dataSource.query(
      `WITH disabled AS (
         UPDATE merchant_webhook SET enabled = false, updated_at = $2 WHERE merchant_id = $1 RETURNING *)
       SELECT * FROM disabled`,
      [merchantId, now],
    )) as EndpointRow[];
    if (!rows[0]) throw webhookNotConfigured();
    await this.cancelPending(merchantId, now);
    return view(rows[0], now);
  }

  async deliveryEndpoint(merchantId: string, now = new Date()): Promise<DeliveryEndpoint | undefined> {
    const row = await this.find(merchantId);
    return row && { url: row.url, enabled: row.enabled, secrets: signingSecrets(row, now) };
  }

  private async find(merchantId: string): Promise<EndpointRow | undefined> {
    const rows = (await this.dataSource.query('SELECT * FROM merchant_webhook WHERE merchant_id = $1', [
      merchantId,
    ])) as EndpointRow[];
    return rows[0];
  }

  private async cancelPending(merchantId: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_delivery SET status = 'canceled', claim_token = NULL, updated_at = $2
       WHERE merchant_id = $1 AND status = 'pending'`,
      [merchantId, now],
    );
  }
}
