import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPng, renderSvg } from '@cashless/vietqr';
import { AuthenticatedGuard, OfficerGuard } from '../auth/guards';
import { CurrentPrincipal } from '../auth/principal';
import type { Principal } from '../auth/principal';
import { NEXT_CURSOR_HEADER, checkedString, cursorParam, isUuid, parseBody } from '../http/validation';
import { merchantIdParam } from '../merchants/merchant-lock';
import { accept, refuse } from '../registration/field-result';
import { hasControlCharacters, normalizeText } from '../registration/vietnamese-text';
import { formatBoardCode, normalizeBoardCode } from './board-code';
import type { BoardVerification, FraudReportView, MerchantQr } from './boards.service';
import { BoardsService } from './boards.service';
import { REPORT_REASONS, clientIp } from './report-rules';

const qrQuery = z.strictObject({
  account: checkedString((raw) => {
    const digits = raw.trim();
    return /^\d{6,19}$/.test(digits)
      ? accept(digits)
      : refuse('Số tài khoản gồm 6 đến 19 chữ số', 'An account number has 6 to 19 digits');
  }, 100).optional(),
});

function freeText(max: number, allowNewlines: boolean) {
  return checkedString((raw) => {
    const probe = allowNewlines ? raw.replace(/[\r\n\t]/g, ' ') : raw;
    if (hasControlCharacters(probe)) {
      return refuse('Không được chứa ký tự điều khiển', 'Must not contain control characters');
    }
    const text = allowNewlines ? raw.normalize('NFC').trim() : normalizeText(raw);
    if (text.length === 0) return refuse('Không được để trống', 'Must not be empty');
    if ([...text].length > max) return refuse(`Tối đa ${max} ký tự`, `At most ${max} characters`);
    return accept(text);
  }, max * 4);
}

const reportSchema = z.strictObject({
  reason: z.enum(REPORT_REASONS),
  note: freeText(1000, true).optional(),
  reporterContact: freeText(200, false).optional(),
});

const verifySchema = z.strictObject({ payload: z.string().min(1).max(1000) });

const reportsQuery = z.strictObject({
  merchantId: z
    .string()
    .refine(isUuid)
    .transform((s) => s.toLowerCase())
    .optional(),
  boardCode: z
    .string()
    .max(32)
    .transform((s, ctx) => {
      const code = normalizeBoardCode(s);
      if (code === null) {
        ctx.addIssue({ code: 'custom', params: { vi: 'Mã bảng không hợp lệ', en: 'Not a board code' } });
        return z.NEVER;
      }
      return code;
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  cursor: cursorParam.optional(),
});

const NO_STORE = 'no-store';

/** A merchant's static VietQR and printable board (that merchant or an officer). */
@Controller('api/v1/merchants/:id')
@UseGuards(AuthenticatedGuard)
export class MerchantBoardsController {
  constructor(private readonly boards: BoardsService) {}

  @Get('qr')
  async qr(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MerchantQr> {
    const { payload, boardCode } = await this.load(id, query, principal);
    return { payload, boardCode };
  }

  @Get('qr.png')
  async png(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { payload, boardCode } = await this.load(id, query, principal);
    const png = await renderPng(payload);
    void reply.header('content-type', 'image/png').header('cache-control', NO_STORE).header('x-board-code', boardCode);
    return png;
  }

  @Get('qr.svg')
  async svg(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { payload, boardCode } = await this.load(id, query, principal);
    const svg = await renderSvg(payload);
    void reply
      .header('content-type', 'image/svg+xml; charset=utf-8')
      .header('cache-control', NO_STORE)
      .header('x-board-code', boardCode);
    return svg;
  }

  @Get('board.svg')
  async boardSvg(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { board } = await this.load(id, query, principal);
    const svg = await this.boards.renderSvg(board);
    void reply
      .header('content-type', 'image/svg+xml; charset=utf-8')
      .header('cache-control', NO_STORE)
      .header('x-board-code', board.boardCode);
    return svg;
  }

  @Get('board.pdf')
  async boardPdf(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { board } = await this.load(id, query, principal);
    const pdf = await this.boards.renderPdf(board);
    void reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="board-${formatBoardCode(board.boardCode)}.pdf"`)
      .header('cache-control', NO_STORE)
      .header('x-board-code', board.boardCode);
    return pdf;
  }

  private load(id: string, query: unknown, principal: Principal) {
    const merchantId = merchantIdParam(id);
    const { account } = parseBody(qrQuery, { ...(query as object) });
    return this.boards.qr(merchantId, principal, account);
  }
}

/** Public: check a board by its code or by a scanned payload, and report one. */
@Controller('api/v1/boards')
export class BoardsController {
  constructor(private readonly boards: BoardsService) {}

  @Post('verify')
  @HttpCode(200)
  verify(@Body() body: unknown): Promise<BoardVerification> {
    return this.boards.verifyPayload(parseBody(verifySchema, body).payload);
  }

  @Get(':boardCode')
  byCode(@Param('boardCode') boardCode: string): Promise<BoardVerification> {
    return this.boards.verifyCode(boardCode);
  }

  @Post(':boardCode/report')
  report(@Param('boardCode') boardCode: string, @Body() body: unknown, @Req() request: FastifyRequest) {
    const input = parseBody(reportSchema, body);
    return this.boards.report(boardCode, input, clientIp(request.headers['x-forwarded-for'], request.ip));
  }
}

/** Officers: the public's reports about boards. */
@Controller('api/v1/fraud-reports')
@UseGuards(OfficerGuard)
export class FraudReportsController {
  constructor(private readonly boards: BoardsService) {}

  /** Newest first; when more follow, `x-next-cursor` holds the `cursor` of the next page. */
  @Get()
  async list(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<FraudReportView[]> {
    const page = await this.boards.listReports(parseBody(reportsQuery, { ...(query as object) }));
    if (page.nextCursor) void reply.header(NEXT_CURSOR_HEADER, page.nextCursor);
    return page.data;
  }
}
