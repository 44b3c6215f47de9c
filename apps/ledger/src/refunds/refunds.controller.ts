import { Body, Controller, Headers, HttpCode, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ApiError, NOT_AN_OBJECT, parseFields } from '@cashless/observability';
import { IDEMPOTENCY_KEY_PATTERN, requestHash } from '@cashless/contracts';
import { Caller, CallerGuard, assertMayActFor } from '../auth/caller.guard';
import type { CallerPrincipal } from '../auth/caller.guard';
import { RefundsService } from './refunds.service';
import type { RefundView } from './refunds.service';

const AMOUNT_LIMIT = 500_000_000;

export const refundSchema = z
  .strictObject({
    merchantId: z.uuid().transform((s) => s.toLowerCase()),
    paymentId: z
      .uuid()
      .transform((s) => s.toLowerCase())
      .optional(),
    notificationId: z
      .uuid()
      .transform((s) => s.toLowerCase())
      .optional(),
    amount: z.number().int().positive().lt(AMOUNT_LIMIT),
    reason: z
      .string()
      .max(500)
      .refine((s) => s.trim().length > 0 && !/[\p{Cc}\p{Cf}]/u.test(s))
      .transform((s) => s.trim()),
  })
  .refine((r) => (r.paymentId === undefined) !== (r.notificationId === undefined), {
    path: ['paymentId'],
    message: 'exactly one of paymentId and notificationId',
  });

const MESSAGES: Record<string, { vi: string; en: string }> = {
  merchantId: { vi: 'Mã cửa hàng không hợp lệ', en: 'merchantId must be a merchant id (UUID)' },
  paymentId: {
    vi: 'Cần đúng một trong hai: mã thanh toán (paymentId) hoặc mã thông báo ngân hàng (notificationId)',
    en: 'Give exactly one of paymentId and notificationId (UUIDs)',
  },
  notificationId: { vi: 'Mã thông báo ngân hàng không hợp lệ', en: 'notificationId must be a UUID' },
  amount: {
    vi: `Số tiền phải là số nguyên đồng lớn hơn 0 và nhỏ hơn ${AMOUNT_LIMIT.toLocaleString('en')}`,
    en: `Amount must be a whole number of đồng above 0 and below ${AMOUNT_LIMIT.toLocaleString('en')}`,
  },
  reason: { vi: 'Lý do: 1–500 ký tự in được', en: 'Reason: 1–500 printable characters' },
};

export function parseRefund(body: unknown): z.output<typeof refundSchema> {
  return parseFields(refundSchema, body, { fields: MESSAGES, root: 'body', fallback: NOT_AN_OBJECT });
}

/**
 * Refunds a shop owner made from their bank account, recorded in the ledger (officer, or the
 * merchant itself). `Idempotency-Key` required: same key + body → the first answer; other body
 * → 422; concurrent → 409.
 */
@Controller('api/v1/ledger/refunds')
@UseGuards(CallerGuard)
export class RefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @Post()
  @HttpCode(201)
  record(
    @Caller() caller: CallerPrincipal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
  ): Promise<RefundView> {
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new ApiError(400, 'idempotency_key_required', {
        vi: 'Cần header Idempotency-Key (1–255 ký tự in được)',
        en: 'The Idempotency-Key header is required (1–255 printable characters)',
      });
    }
    const input = parseRefund(body);
    assertMayActFor(caller, input.merchantId);
    return this.refunds.record(caller, key, requestHash(body), input);
  }
}
