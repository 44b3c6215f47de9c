import type { NotificationRecord } from './reconciliation';

/** One stored notification as `GET /api/v1/bank-notifications` of the payment service lists it. */
interface ListedNotification {
  id: string;
  amount: number;
  outcome: 'payment' | 'unattributed' | 'ignored' | 'unmatched';
}

/**
 * Reads every bank notification the payment service stored on a day, page by page, with the
 * given credential (an officer's). Throws with a readable reason when it cannot.
 */
export async function fetchDayNotifications(
  paymentUrl: string,
  date: string,
  authorization: string,
  timeoutMs = 10_000,
): Promise<NotificationRecord[]> {
  const out: NotificationRecord[] = [];
  let cursor: string | null = null;
  do {
    const url = new URL('/api/v1/bank-notifications', paymentUrl);
    url.searchParams.set('date', date);
    url.searchParams.set('limit', '500');
    if (cursor) url.searchParams.set('cursor', cursor);
    const response = await fetch(url, { headers: { authorization }, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`the payment service answered ${response.status}`);
    const page = (await response.json()) as { data: ListedNotification[]; nextCursor: string | null };
    for (const n of page.data) out.push({ notificationId: n.id, amount: n.amount, ignored: n.outcome === 'ignored' });
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
