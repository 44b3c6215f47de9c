import { z } from 'zod';
import { ApiError } from '@cashless/observability';
import type { FieldError } from '@cashless/observability';
import { DELIVERY_STATUSES } from './webhook-deliveries.service';
import type { DeliveryStatus } from './webhook-deliveries.service';
import { checkWebhookUrl } from './webhook-url';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const merchantNotFound = () => ApiError.notFound({ vi: 'Không tìm thấy cửa hàng', en: 'Merchant not found' });

/** The `:id` of `/merchants/:id/...`, lower-cased; anything but a UUID names no merchant (404). */
export function merchantIdParam(id: string): string {
  if (!UUID.test(id)) throw merchantNotFound();
  return id.toLowerCase();
}

/** A write route's `:id` must be the calling merchant itself; another merchant's is not revealed (404). */
export function ownMerchantId(callerMerchantId: string, id: string): string {
  const merchantId = merchantIdParam(id);
  if (merchantId !== callerMerchantId) throw merchantNotFound();
  return merchantId;
}

export function uuidParam(id: string, notFound: () => ApiError): string {
  if (!UUID.test(id)) throw notFound();
  return id.toLowerCase();
}

const settingsSchema = z.strictObject({ url: z.unknown().optional(), enabled: z.boolean().optional() });

/** `PUT /merchants/:id/webhooks` body: `{url, enabled?}` (enabled defaults to true). */
export function parseWebhookSettings(body: unknown, allowPrivateAddresses: boolean): { url: string; enabled: boolean } {
  const parsed = settingsSchema.safeParse(body);
  const fields: FieldError[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        fields.push({ field: issue.keys.join(','), message: { vi: 'Trường không được hỗ trợ', en: 'Unknown field' } });
      } else if (issue.path[0] === 'enabled') {
        fields.push({ field: 'enabled', message: { vi: 'Phải là true hoặc false', en: 'Must be true or false' } });
      } else {
        fields.push({ field: 'body', message: { vi: 'Phải là một đối tượng JSON', en: 'Must be a JSON object' } });
      }
    }
  }
  const url = checkWebhookUrl((body as { url?: unknown } | null)?.url, allowPrivateAddresses);
  if (!url.ok && !fields.some((f) => f.field === 'body')) fields.push({ field: 'url', message: url.message });
  if (!parsed.success || !url.ok) throw ApiError.validation(fields);
  return { url: url.url, enabled: parsed.data.enabled ?? true };
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** `GET /merchants/:id/webhook-deliveries?status=&cursor=&limit=`; other query keys (access_token) are ignored. */
export function parseDeliveryQuery(query: Record<string, unknown>): {
  status?: DeliveryStatus;
  cursor?: string;
  limit: number;
} {
  const fields: FieldError[] = [];
  const { status, cursor, limit } = query;
  if (status !== undefined && !(DELIVERY_STATUSES as readonly unknown[]).includes(status)) {
    fields.push({
      field: 'status',
      message: {
        vi: `Trạng thái phải là một trong: ${DELIVERY_STATUSES.join(', ')}`,
        en: `Status must be one of: ${DELIVERY_STATUSES.join(', ')}`,
      },
    });
  }
  if (cursor !== undefined && (typeof cursor !== 'string' || !UUID.test(cursor))) {
    fields.push({
      field: 'cursor',
      message: { vi: 'Con trỏ trang không hợp lệ', en: 'Invalid cursor (use nextCursor of the previous page)' },
    });
  }
  const size = limit === undefined ? DEFAULT_PAGE_SIZE : Number(limit);
  if (typeof limit === 'object' || !Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    fields.push({
      field: 'limit',
      message: { vi: `Số dòng mỗi trang: 1–${MAX_PAGE_SIZE}`, en: `Page size must be 1–${MAX_PAGE_SIZE}` },
    });
  }
  if (fields.length > 0) throw ApiError.validation(fields);
  return {
    status: status as DeliveryStatus | undefined,
    cursor: typeof cursor === 'string' ? cursor.toLowerCase() : undefined,
    limit: size,
  };
}
