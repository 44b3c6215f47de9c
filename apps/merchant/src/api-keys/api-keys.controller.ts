import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ApiError } from '@cashless/observability';
import { assertMerchantOrOfficer, assertSelf } from '../auth/access';
import { AuthenticatedGuard } from '../auth/guards';
import { MerchantPasswordService } from '../auth/merchant-password.service';
import { CurrentPrincipal } from '../auth/principal';
import type { Principal } from '../auth/principal';
import { checkedString, isUuid, parseBody } from '../http/validation';
import { merchantIdParam, merchantNotFound } from '../merchants/merchant-lock';
import { MerchantsService } from '../merchants/merchants.service';
import { accept, refuse } from '../registration/field-result';
import { hasControlCharacters, normalizeText } from '../registration/vietnamese-text';
import type { ApiKeyView, CreatedApiKey } from './api-keys.service';
import { ApiKeysService } from './api-keys.service';

export const API_KEY_LABEL_MAX = 60;

const label = checkedString((raw) => {
  if (hasControlCharacters(raw)) {
    return refuse('Không được chứa ký tự điều khiển hoặc ký tự ẩn', 'Must not contain control or invisible characters');
  }
  const text = normalizeText(raw);
  if (text.length === 0) return refuse('Không được để trống', 'Must not be empty');
  if ([...text].length > API_KEY_LABEL_MAX) {
    return refuse(`Tối đa ${API_KEY_LABEL_MAX} ký tự`, `At most ${API_KEY_LABEL_MAX} characters`);
  }
  return accept(text);
}, 500);

const createKeySchema = z.strictObject({ label: label.nullable().optional() }).optional();

// Length and content are checked by the policy, with the merchant's phone at hand.
const passwordSchema = z.strictObject({
  password: z.string().max(1000),
  currentPassword: z.string().min(1).max(1000).optional(),
});

/** A merchant's credentials: API keys (list, create, revoke) and the web password. */
@Controller('api/v1/merchants/:id')
@UseGuards(AuthenticatedGuard)
export class MerchantCredentialsController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly passwords: MerchantPasswordService,
    private readonly merchants: MerchantsService,
  ) {}

  /** That merchant or an officer: every key with prefix, label and dates, never a secret or hash. */
  @Get('api-keys')
  async list(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    const merchantId = merchantIdParam(id);
    assertMerchantOrOfficer(principal, merchantId);
    if (!(await this.merchants.exists(merchantId))) throw merchantNotFound();
    return this.keys.list(merchantId);
  }

  /** That merchant only → `201 { id, apiKey }`; the key is shown this once. */
  @Post('api-keys')
  create(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedApiKey> {
    const merchantId = merchantIdParam(id);
    const actor = assertSelf(principal, merchantId);
    const parsed = parseBody(createKeySchema, body ?? undefined);
    return this.keys.create(merchantId, parsed?.label ?? null, actor);
  }

  /** That merchant or an officer; the key stops authenticating with the next request. */
  @Post('api-keys/:keyId/revoke')
  @HttpCode(200)
  revoke(
    @Param('id') id: string,
    @Param('keyId') keyId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApiKeyView> {
    const merchantId = merchantIdParam(id);
    assertMerchantOrOfficer(principal, merchantId);
    if (!isUuid(keyId)) throw ApiError.notFound({ vi: 'Không tìm thấy khoá API', en: 'API key not found' });
    return this.keys.revoke(merchantId, keyId.toLowerCase(), principal);
  }

  /** That merchant only: set (with its API key) or change the web login password (ADR 0008). */
  @Post('password')
  @HttpCode(200)
  setPassword(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ passwordSetAt: string }> {
    const merchantId = merchantIdParam(id);
    const actor = assertSelf(principal, merchantId);
    return this.passwords.set(merchantId, parseBody(passwordSchema, body), actor);
  }
}
