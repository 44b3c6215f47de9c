import { cassoFeed } from './casso';
import type { BankProvider, CanonicalResult, FeedAdapter, RequestHeaders, VerifyResult } from './feed';
import { genericFeed } from './generic';
import { payosFeed } from './payos';
import { sepayFeed } from './sepay';

/** A feed with its secret bound: what the intake calls for one provider. */
export interface ConfiguredFeed {
  provider: BankProvider;
  verify(rawBody: Buffer, headers: RequestHeaders, now: Date): VerifyResult;
  toCanonical(payload: unknown): CanonicalResult;
}

export interface FeedSecrets {
  genericSecret: string;
  windowSeconds: number;
  sepayApiKey?: string;
  sepayWebhookSecret?: string;
  cassoChecksumKey?: string;
  payosChecksumKey?: string;
}

/** The feeds whose secret is configured; a provider missing here answers 404. */
export function configureFeeds(s: FeedSecrets): Map<BankProvider, ConfiguredFeed> {
  const feeds = new Map<BankProvider, ConfiguredFeed>();
  const bind = <S>(adapter: FeedAdapter<S>, secret: S) =>
    feeds.set(adapter.provider, {
      provider: adapter.provider,
      verify: (rawBody, headers, now) => adapter.verify(rawBody, headers, secret, now, s.windowSeconds),
      toCanonical: (payload) => adapter.toCanonical(payload),
    });
  bind(genericFeed, s.genericSecret);
  if (s.sepayApiKey || s.sepayWebhookSecret) {
    bind(sepayFeed, { apiKey: s.sepayApiKey, hmacSecret: s.sepayWebhookSecret });
  }
  if (s.cassoChecksumKey) bind(cassoFeed, s.cassoChecksumKey);
  if (s.payosChecksumKey) bind(payosFeed, s.payosChecksumKey);
  return feeds;
}
