import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ApiError } from '@cashless/observability';
import type { AuditEntryView } from '../audit/audit-log.service';
import { AuditLog } from '../audit/audit-log.service';
import { AuthenticatedGuard, OfficerGuard } from '../auth/guards';
import { CurrentPrincipal } from '../auth/principal';
import type { Principal } from '../auth/principal';
import { NEXT_CURSOR_HEADER, REASON_MAX, checkedString, cursorParam, isUuid, parseBody } from '../http/validation';
import { accept, refuse } from '../registration/field-result';
import { registrationSchema } from '../registration/registration.schema';
import type { RegistrationResult } from '../registration/registration.service';
import { RegistrationService } from '../registration/registration.service';
import { hasControlCharacters, normalizeText } from '../registration/vietnamese-text';
import { MERCHANT_STATUSES, REVIEW_ACTIONS, ReviewAction } from './merchant-status';
import type { MerchantView } from './merchants.service';
import { MerchantsService } from './merchants.service';

const reason = checkedString((raw) => {
  if (hasControlCharacters(raw.replace(/[\r\n\t]/g, ' '))) {
    return refuse('Không được chứa ký tự điều khiển', 'Must not contain control characters');
  }
  const text = normalizeText(raw);
  if (text.length < 3) return refuse('Lý do tối thiểu 3 ký tự', 'A reason has at least 3 characters');
  if ([...text].length > REASON_MAX) return refuse(`Tối đa ${REASON_MAX} ký tự`, `At most ${REASON_MAX} characters`);
  return accept(text);
}, 5000);

const reasonRequired = z.strictObject({ reason });
// Approve and reinstate take no body, or an optional note.
const reasonOptional = z.strictObject({ reason: reason.optional() }).optional();

const listQuery = z.strictObject({
  status: z.enum(MERCHANT_STATUSES as [string, ...string[]]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  cursor: cursorParam.optional(),
});

const notFound = () => ApiError.notFound({ vi: 'Không tìm thấy cửa hàng', en: 'Merchant not found' });

function merchantId(id: string): string {
  if (!isUuid(id)) throw notFound();
  return id.toLowerCase();
}

function asOfficer(principal: Principal): Principal & { kind: 'officer' } {
  if (principal.kind !== 'officer') throw new ApiError(403, 'forbidden', { vi: 'Chỉ cán bộ', en: 'Officers only' });
  return principal;
}

@Controller('api/v1/merchants')
export class MerchantsController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly merchants: MerchantsService,
    private readonly audit: AuditLog,
  ) {}

  /** Public self-registration → `201 { id, status: "pending", apiKey }` (the key is shown once). */
  @Post()
  register(@Body() body: unknown): Promise<RegistrationResult> {
    return this.registration.register(parseBody(registrationSchema, body));
  }

  /**
   * Officer: the review queue (`?status=pending`) or any status. The body is the page's rows; when
   * more follow, `x-next-cursor` holds the `cursor` that fetches them (keyset, stable while the
   * queue changes; `offset` still works but skips rows when earlier ones leave the status).
   */
  @Get()
  @UseGuards(OfficerGuard)
  async list(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<MerchantView[]> {
    const { status, limit, offset, cursor } = parseBody(listQuery, { ...(query as object) });
    const page = await this.merchants.list({
      status: status as MerchantView['status'] | undefined,
      limit,
      offset,
      after: cursor,
    });
    if (page.nextCursor) void reply.header(NEXT_CURSOR_HEADER, page.nextCursor);
    return page.data;
  }

  @Get(':id')
  @UseGuards(AuthenticatedGuard)
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<MerchantView> {
    return this.merchants.get(merchantId(id), principal);
  }

  @Get(':id/audit-log')
  @UseGuards(OfficerGuard)
  async auditLog(@Param('id') id: string): Promise<AuditEntryView[]> {
    const merchant = merchantId(id);
    if (!(await this.merchants.exists(merchant))) throw notFound();
    return this.audit.forMerchant(merchant);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @UseGuards(OfficerGuard)
  approve(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() officer: Principal,
  ): Promise<MerchantView> {
    return this.decide('approve', id, body, officer);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @UseGuards(OfficerGuard)
  reject(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() officer: Principal,
  ): Promise<MerchantView> {
    return this.decide('reject', id, body, officer);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @UseGuards(OfficerGuard)
  suspend(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() officer: Principal,
  ): Promise<MerchantView> {
    return this.decide('suspend', id, body, officer);
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @UseGuards(OfficerGuard)
  reinstate(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() officer: Principal,
  ): Promise<MerchantView> {
    return this.decide('reinstate', id, body, officer);
  }

  @Post(':id/close')
  @HttpCode(200)
  @UseGuards(OfficerGuard)
  close(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() officer: Principal): Promise<MerchantView> {
    return this.decide('close', id, body, officer);
  }

  private decide(action: ReviewAction, id: string, body: unknown, principal: Principal): Promise<MerchantView> {
    const merchant = merchantId(id);
    const parsed = REVIEW_ACTIONS[action].reasonRequired
      ? parseBody(reasonRequired, body)
      : parseBody(reasonOptional, body ?? undefined);
    return this.merchants.transition(merchant, action, parsed?.reason ?? null, asOfficer(principal));
  }
}
