import { Controller, Get, Header, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiError } from '@cashless/observability';
import { CallerGuard } from '../auth/caller.guard';
import { statementCsv, vietnamDay } from './statement';
import type { Statement } from './statement';
import { StatementsService } from './statements.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `date` as a day in Vietnam, or a bilingual 400: not a calendar day, or a day that has not
 * started yet. Shared by statements and reconciliation.
 */
export function parseDay(date: unknown): { date: string; from: Date; to: Date } {
  const day = typeof date === 'string' ? vietnamDay(date) : ({ ok: false, reason: 'format' } as const);
  if (day.ok) return { date: date as string, from: day.from, to: day.to };
  throw ApiError.validation([
    {
      field: 'date',
      message:
        day.reason === 'future'
          ? { vi: 'Ngày chưa đến (giờ Việt Nam)', en: 'That day has not started yet (Vietnam time)' }
          : { vi: 'Ngày phải có dạng YYYY-MM-DD', en: 'date must be a calendar day, YYYY-MM-DD' },
    },
  ]);
}

/** A merchant's daily statement, as JSON or CSV: that merchant or an officer (CallerGuard). */
@Controller('api/v1/merchants')
@UseGuards(CallerGuard)
export class StatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Get(':id/statement')
  statement(@Param('id') id: string, @Query('date') date: unknown): Promise<Statement> {
    return this.read(id, date);
  }

  @Get(':id/statement.csv')
  @Header('cache-control', 'no-store')
  async statementCsv(@Param('id') id: string, @Query('date') date: unknown, @Res() reply: FastifyReply): Promise<void> {
    const statement = await this.read(id, date);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="sao-ke-statement-${statement.date}-${statement.merchantId}.csv"`,
      )
      .send(statementCsv(statement));
  }

  private read(id: string, date: unknown): Promise<Statement> {
    if (!UUID.test(id)) throw ApiError.notFound({ vi: 'Không tìm thấy cửa hàng', en: 'Merchant not found' });
    const day = parseDay(date);
    return this.statements.statement(id.toLowerCase(), day.date, day.from, day.to);
  }
}
