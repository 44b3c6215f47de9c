import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { decodeCursor } from '@cashless/database';
import { ApiError, NOT_AN_OBJECT, parseFields } from '@cashless/observability';
import type { LocalizedText } from '@cashless/observability';
import { CurrentCaller, OfficerGuard } from '../auth/merchant-auth';
import type { CallerPrincipal } from '../auth/merchant-auth';
import { UnattributedService } from './unattributed.service';
import type { UnattributedList, UnattributedView } from './unattributed.service';

const printable = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0 && !/[\p{Cc}\p{Cf}]/u.test(s))
    .transform((s) => s.trim());

const listSchema = z.strictObject({
  status: z.enum(['open', 'assigned', 'dismissed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .transform((s, ctx) => decodeCursor(s) ?? (ctx.addIssue({ code: 'custom' }), z.NEVER))
    .optional(),
});

const assignSchema = z.strictObject({
  merchantId: z.uuid().transform((s) => s.toLowerCase()),
  note: printable(500).optional(),
});

const dismissSchema = z.strictObject({ reason: printable(500) });

const MESSAGES: Record<string, LocalizedText> = {
  status: { vi: 'Trạng thái: open, assigned hoặc dismissed', en: 'Status: open, assigned or dismissed' },
  limit: { vi: 'Số bản ghi mỗi trang: 1–100', en: 'Page size: 1–100' },
  cursor: { vi: 'Con trỏ trang không hợp lệ', en: 'Invalid page cursor' },
  merchantId: { vi: 'Mã cửa hàng (UUID) bắt buộc', en: 'A merchant id (UUID) is required' },
  note: { vi: 'Ghi chú: 1–500 ký tự in được', en: 'Note: 1–500 printable characters' },
  reason: { vi: 'Lý do: 1–500 ký tự in được', en: 'Reason: 1–500 printable characters' },
};

// Bodies and queries alike: an absent one is empty (the schemas name what is missing).
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  return parseFields(schema, input ?? {}, { fields: MESSAGES, root: 'body', fallback: NOT_AN_OBJECT });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function entryId(id: string): string {
  if (!UUID.test(id)) {
    throw ApiError.notFound({ vi: 'Không tìm thấy giao dịch chưa xác định', en: 'Unattributed transfer not found' });
  }
  return id.toLowerCase();
}

function officerName(caller: CallerPrincipal): string {
  if (caller.kind !== 'officer') throw new Error('unattributed decisions need OfficerGuard');
  return caller.username;
}

/** The officers' queue of transfers the platform could not attribute. */
@Controller('api/v1/unattributed-transfers')
@UseGuards(OfficerGuard)
export class UnattributedController {
  constructor(private readonly unattributed: UnattributedService) {}

  /** Newest first; `nextCursor` (null on the last page) fetches the next page with the same filter. */
  @Get()
  list(@Query() query: unknown): Promise<UnattributedList> {
    return this.unattributed.list(parse(listSchema, query));
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<UnattributedView> {
    return this.unattributed.get(entryId(id));
  }

  /** Attributes the transfer to a merchant: a static-QR payment record for it. Open entries only (else 409). */
  @Post(':id/assign')
  @HttpCode(200)
  assign(
    @Param('id') id: string,
    @CurrentCaller() caller: CallerPrincipal,
    @Body() body: unknown,
  ): Promise<UnattributedView> {
    return this.unattributed.assign(entryId(id), officerName(caller), parse(assignSchema, body));
  }

  /** Closes the entry without a payment (a test transfer, money returned outside the platform…). */
  @Post(':id/dismiss')
  @HttpCode(200)
  dismiss(
    @Param('id') id: string,
    @CurrentCaller() caller: CallerPrincipal,
    @Body() body: unknown,
  ): Promise<UnattributedView> {
    return this.unattributed.dismiss(entryId(id), officerName(caller), parse(dismissSchema, body));
  }
}
