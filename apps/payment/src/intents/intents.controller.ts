import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { decodeCursor } from '@cashless/database';
import { ApiError, NOT_AN_OBJECT, parseFields } from '@cashless/observability';
import { CurrentMerchant, MerchantGuard } from '../auth/merchant-auth';
import { IDEMPOTENCY_KEY_PATTERN, requestHash } from '@cashless/contracts';
import { IntentsService } from './intents.service';
import type { CreatedIntent, IntentList, IntentView } from './intents.service';
import { INTENT_STATUSES } from './intent-state';

export const AMOUNT_LIMIT = 500_000_000;
export const DEFAULT_EXPIRY_SECONDS = 15 * 60;
export const MIN_EXPIRY_SECONDS = 60;
export const MAX_EXPIRY_SECONDS = 24 * 3600;

const printable = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0 && !/[\p{Cc}\p{Cf}]/u.test(s), 'must be non-empty printable text')
    .transform((s) => s.trim());

export const createIntentSchema = z.strictObject({
  amount: z.number().int().positive().lt(AMOUNT_LIMIT),
  orderRef: printable(100).optional(),
  description: printable(200).optional(),
  expiresInSeconds: z.number().int().min(MIN_EXPIRY_SECONDS).max(MAX_EXPIRY_SECONDS).default(DEFAULT_EXPIRY_SECONDS),
});

const MESSAGES: Record<string, { vi: string; en: string }> = {
  amount: {
    vi: `Số tiền phải là số nguyên đồng lớn hơn 0 và nhỏ hơn ${AMOUNT_LIMIT.toLocaleString('en')}`,
    en: `Amount must be a whole number of đồng above 0 and below ${AMOUNT_LIMIT.toLocaleString('en')}`,
  },
  orderRef: { vi: 'Mã đơn hàng: 1–100 ký tự in được', en: 'Order reference: 1–100 printable characters' },
  description: { vi: 'Mô tả: 1–200 ký tự in được', en: 'Description: 1–200 printable characters' },
  expiresInSeconds: {
    vi: `Thời hạn phải là số giây nguyên từ ${MIN_EXPIRY_SECONDS} đến ${MAX_EXPIRY_SECONDS}`,
    en: `Expiry must be whole seconds from ${MIN_EXPIRY_SECONDS} to ${MAX_EXPIRY_SECONDS}`,
  },
};

export function parseCreateIntent(body: unknown): z.output<typeof createIntentSchema> {
  return parseFields(createIntentSchema, body, { fields: MESSAGES, root: 'body', fallback: NOT_AN_OBJECT });
}

export const listIntentsSchema = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(INTENT_STATUSES)).min(1).max(INTENT_STATUSES.length))
    .optional(),
  orderRef: z.string().min(1).max(100).optional(),
  paymentCode: z
    .string()
    .regex(/^[A-Za-z0-9]{1,19}$/)
    .transform((s) => s.toUpperCase())
    .optional(),
  createdFrom: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  createdTo: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .transform((s, ctx) => decodeCursor(s) ?? (ctx.addIssue({ code: 'custom', message: 'bad cursor' }), z.NEVER))
    .optional(),
});

const LIST_MESSAGES: Record<string, { vi: string; en: string }> = {
  status: {
    vi: `Trạng thái: một hoặc nhiều giá trị (cách nhau bởi dấu phẩy) trong ${INTENT_STATUSES.join(', ')}`,
    en: `Status: one or more comma-separated values of ${INTENT_STATUSES.join(', ')}`,
  },
  orderRef: { vi: 'Mã đơn hàng: 1–100 ký tự', en: 'Order reference: 1–100 characters' },
  paymentCode: { vi: 'Mã thanh toán: 1–19 chữ hoặc số', en: 'Payment code: 1–19 letters or digits' },
  createdFrom: { vi: 'Thời điểm ISO 8601 có múi giờ', en: 'An ISO 8601 date-time with offset' },
  createdTo: { vi: 'Thời điểm ISO 8601 có múi giờ', en: 'An ISO 8601 date-time with offset' },
  limit: { vi: 'Số bản ghi mỗi trang: 1–100', en: 'Page size: 1–100' },
  cursor: { vi: 'Con trỏ trang không hợp lệ', en: 'Invalid page cursor' },
};

export function parseListIntents(query: unknown): z.output<typeof listIntentsSchema> {
  return parseFields(listIntentsSchema, query, {
    fields: LIST_MESSAGES,
    root: 'query',
    fallback: { vi: 'Giá trị không hợp lệ', en: 'Invalid value' },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = () => ApiError.notFound({ vi: 'Không tìm thấy yêu cầu thanh toán', en: 'Payment intent not found' });

/** Payment intents of the calling merchant (API key). Another merchant's intent is 404. */
@Controller('api/v1/payment-intents')
@UseGuards(MerchantGuard)
export class IntentsController {
  constructor(private readonly intents: IntentsService) {}

  /** `Idempotency-Key` required: same key + body → the first answer; other body → 422; concurrent → 409. */
  @Post()
  @HttpCode(201)
  create(
    @CurrentMerchant() merchantId: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
  ): Promise<CreatedIntent> {
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new ApiError(400, 'idempotency_key_required', {
        vi: 'Cần header Idempotency-Key (1–255 ký tự in được)',
        en: 'The Idempotency-Key header is required (1–255 printable characters)',
      });
    }
    const input = parseCreateIntent(body);
    return this.intents.create(merchantId, key, requestHash(body), input);
  }

  /** Newest first; `nextCursor` (null on the last page) fetches the next page with the same filters. */
  @Get()
  list(@CurrentMerchant() merchantId: string, @Query() query: unknown): Promise<IntentList> {
    return this.intents.list(merchantId, parseListIntents(query));
  }

  @Get(':id')
  get(@CurrentMerchant() merchantId: string, @Param('id') id: string): Promise<IntentView> {
    if (!UUID.test(id)) throw notFound();
    return this.intents.get(merchantId, id.toLowerCase());
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentMerchant() merchantId: string, @Param('id') id: string): Promise<IntentView> {
    if (!UUID.test(id)) throw notFound();
    return this.intents.cancel(merchantId, id.toLowerCase());
  }
}
