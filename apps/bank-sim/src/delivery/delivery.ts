import { setTimeout as sleepFor } from 'node:timers/promises';
import { SIGNATURE_HEADER, signatureHeader, type CanonicalBankNotification } from '@cashless/contracts';
import type { Sender } from './sender';

export const GENERIC_NOTIFICATION_PATH = '/api/v1/bank-notifications/generic';

/** Where and how notifications go: the platform's public origin, the shared feed secret. */
export interface DeliveryTarget {
  gatewayUrl: string;
  secret: string;
  send: Sender;
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; doubled for each one after. */
  backoffMs: number;
}

/** Like a real feed, but quick: 4 tries over about 0.7 s. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, backoffMs: 100 };

/** The platform's answer to one notification, after retries. */
export interface Delivery {
  /** HTTP status of the last try; null when no try got an answer. */
  status: number | null;
  /** The answer's JSON, or its text when it is not JSON. */
  body: unknown;
  attempts: number;
  /** The network error of the last try, when it had no answer. */
  error?: string;
  /** Acknowledgement time of the last try, in milliseconds. */
  ms: number;
}

export interface DeliveryOptions {
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<unknown>;
}

export function notificationUrl(gatewayUrl: string): string {
  return new URL(GENERIC_NOTIFICATION_PATH, gatewayUrl).toString();
}

export function parseAnswerBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function isAccepted(delivery: Delivery): boolean {
  return delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
}

/**
 * The platform answers 200 to duplicates too; it says so in the body (`duplicate: true` or
 * `status: "duplicate"`), which is how a load run counts them apart.
 */
export function isDuplicateAnswer(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const answer = body as { duplicate?: unknown; status?: unknown };
  return answer.duplicate === true || answer.status === 'duplicate';
}

/**
 * Sends one serialized notification, signed over exactly these bytes (re-signed per try so the
 * timestamp stays fresh). Retries network errors and 5xx answers with doubling backoff; a 4xx
 * is the platform's final word and is not retried.
 */
export async function deliverRaw(
  raw: string,
  target: DeliveryTarget,
  options: DeliveryOptions = {},
): Promise<Delivery> {
  const retry = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? sleepFor;
  const url = notificationUrl(target.gatewayUrl);
  let last: Delivery = { status: null, body: null, attempts: 0, ms: 0 };
  // Milliseconds to 0.1: finer is noise, and the answers stay readable.
  const since = (started: number) => Math.round((performance.now() - started) * 10) / 10;
  for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
    if (attempt > 1) await sleep(retry.backoffMs * 2 ** (attempt - 2));
    const started = performance.now();
    try {
      const answer = await target.send({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureHeader(target.secret, raw),
          'user-agent': 'cashless-bank-sim',
        },
        body: raw,
      });
      last = {
        status: answer.status,
        body: parseAnswerBody(answer.body),
        attempts: attempt,
        ms: since(started),
      };
      if (answer.status < 500) return last;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      last = { status: null, body: null, attempts: attempt, error: message, ms: since(started) };
    }
  }
  return last;
}

/** More extra sends than this test nothing more and only load the platform. */
export const MAX_DUPLICATES = 20;

export interface SendOptions extends DeliveryOptions {
  /** Extra sends of the same notification, as feeds that deliver at least once do. */
  duplicates?: number;
  /** Send the duplicates together with the first instead of one after another. */
  concurrent?: boolean;
}

/** Delivers a notification 1 + `duplicates` times with the same bytes; one entry per send. */
export async function deliverNotification(
  notification: CanonicalBankNotification,
  target: DeliveryTarget,
  options: SendOptions = {},
): Promise<Delivery[]> {
  const raw = JSON.stringify(notification);
  const times = 1 + (options.duplicates ?? 0);
  if (options.concurrent) return Promise.all(Array.from({ length: times }, () => deliverRaw(raw, target, options)));
  const deliveries: Delivery[] = [];
  for (let i = 0; i < times; i++) deliveries.push(await deliverRaw(raw, target, options));
  return deliveries;
}

/** A shuffled order of `0..n-1` that differs from the given one whenever n ≥ 2. */
export function shuffledOrder(n: number, random: () => number = Math.random): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  // Asked to reorder, a run that happens to keep the order would test nothing.
  if (n >= 2 && order.every((v, i) => v === i)) [order[0], order[1]] = [order[1], order[0]];
  return order;
}

export interface BatchItem {
  notification: CanonicalBankNotification;
  duplicates?: number;
  concurrent?: boolean;
}

export interface BatchOptions extends DeliveryOptions {
  reorder?: boolean;
  random?: () => number;
}

/**
 * Delivers a batch one notification after another, in the given order or, with `reorder`, in
 * a shuffled one (feeds do not promise order). Answers come back in the given order, with the
 * order actually used.
 */
export async function deliverBatch(
  items: readonly BatchItem[],
  target: DeliveryTarget,
  options: BatchOptions = {},
): Promise<{ order: number[]; deliveries: Delivery[][] }> {
  const order = options.reorder ? shuffledOrder(items.length, options.random) : items.map((_, i) => i);
  const deliveries: Delivery[][] = new Array<Delivery[]>(items.length);
  for (const index of order) {
    const { notification, duplicates, concurrent } = items[index];
    deliveries[index] = await deliverNotification(notification, target, { ...options, duplicates, concurrent });
  }
  return { order, deliveries };
}
