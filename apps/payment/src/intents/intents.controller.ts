import { Body, Controller, Get, Headers, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ApiError } from '@cashless/observability';
import type { FieldError } from '@cashless/observability';
import { CurrentMerchant, MerchantGuard } from '../auth/merchant-auth';
import { IDEMPOTENCY_KEY_PATTERN, requestHash } from './idempotency';
import { IntentsService } from './intents.service';
import type { CreatedIntent, IntentView } from './intents.service';

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
  const parsed = createIntentSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields: FieldError[] = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { field: issue.keys.join(','), message: { vi: 'Trường không được hỗ trợ', en: 'Unknown field' } };
    }
    const field = issue.path.length ? String(issue.path[0]) : 'body';
    return {
      field,
      message: MESSAGES[field] ?? { vi: 'Phải là một đối tượng JSON', en: 'Must be a JSON object' },
    };
  });
  throw ApiError.validation(fields);
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
