import { Controller, Get, Module, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { decodeCursor } from '@cashless/database';
import { parseFields } from '@cashless/observability';
import type { LocalizedText } from '@cashless/observability';
import { OfficerGuard } from '../auth/merchant-auth';
import { NotificationReportService } from './notification-report.service';
import type { NotificationReportPage } from './notification-report.service';

const DAY_MS = 24 * 3_600_000;

/** A calendar day in Vietnam (UTC+7, no DST) that has started: its bounds as instants. */
const daySchema = z.string().transform((date, ctx) => {
  const from = new Date(`${date}T00:00:00.000+07:00`);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(from.getTime());
  if (!valid || new Date(from.getTime() + 7 * 3_600_000).toISOString().slice(0, 10) !== date) {
    ctx.addIssue({ code: 'custom', message: 'format' });
    return z.NEVER;
  }
  if (from.getTime() > Date.now()) {
    ctx.addIssue({ code: 'custom', message: 'future' });
    return z.NEVER;
  }
  return { date, from, to: new Date(from.getTime() + DAY_MS) };
});

const listSchema = z.strictObject({
  date: daySchema,
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  cursor: z
    .string()
    .transform((s, ctx) => decodeCursor(s) ?? (ctx.addIssue({ code: 'custom' }), z.NEVER))
    .optional(),
});

const MESSAGES: Record<string, LocalizedText> = {
  date: { vi: 'Ngày phải có dạng YYYY-MM-DD', en: 'date must be a calendar day, YYYY-MM-DD' },
  future: { vi: 'Ngày chưa đến (giờ Việt Nam)', en: 'That day has not started yet (Vietnam time)' },
  limit: { vi: 'Số bản ghi mỗi trang: 1–1000', en: 'Page size: 1–1000' },
  cursor: { vi: 'Con trỏ trang không hợp lệ', en: 'Invalid page cursor' },
};

/**
 * The bank notifications stored on a day (Vietnam time, by when they were received), for the
 * ledger's reconciliation and for officers: `?date=YYYY-MM-DD&limit=&cursor=`.
 */
@Controller('api/v1/bank-notifications')
@UseGuards(OfficerGuard)
export class NotificationReportController {
  constructor(private readonly report: NotificationReportService) {}

  @Get()
  list(@Query() query: unknown): Promise<NotificationReportPage> {
    const { date, limit, cursor } = parseFields(listSchema, query, {
      fields: MESSAGES,
      root: 'query',
      fallback: MESSAGES.date,
      refine: (field, issue) => (field === 'date' && issue.message === 'future' ? MESSAGES.future : undefined),
    });
    return this.report.list({ ...date, limit, after: cursor });
  }
}

/** The notification report, registered by the bank-notifications module with one import. */
@Module({ controllers: [NotificationReportController], providers: [NotificationReportService] })
export class NotificationReportModule {}
