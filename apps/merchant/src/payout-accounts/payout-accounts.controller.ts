import { Body, Controller, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ApiError } from '@cashless/observability';
import { assertMerchantOrOfficer } from '../auth/access';
import { AuthenticatedGuard } from '../auth/guards';
import { CurrentPrincipal } from '../auth/principal';
import type { Principal } from '../auth/principal';
import { checkedString, isUuid, parseBody } from '../http/validation';
import { merchantIdParam } from '../merchants/merchant-lock';
import { normalizeAccountName } from '../registration/payout-account';
import { payoutAccountSchema } from '../registration/registration.schema';
import type { PayoutAccountView } from './payout-accounts.service';
import { PayoutAccountsService } from './payout-accounts.service';

// Bank and number identify the account: changing them is a new account (add, then deactivate).
const changeSchema = z
  .strictObject({
    accountName: checkedString(normalizeAccountName, 200).optional(),
    active: z.boolean().optional(),
  })
  .refine((c) => c.accountName !== undefined || c.active !== undefined, {
    params: { vi: 'Cần ít nhất một trong accountName, active', en: 'Give at least one of accountName, active' },
  });

@Controller('api/v1/merchants/:id/payout-accounts')
@UseGuards(AuthenticatedGuard)
export class PayoutAccountsController {
  constructor(private readonly accounts: PayoutAccountsService) {}

  /** That merchant or an officer → `201` the account (validated like registration). */
  @Post()
  add(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PayoutAccountView> {
    const merchantId = merchantIdParam(id);
    assertMerchantOrOfficer(principal, merchantId);
    return this.accounts.add(merchantId, parseBody(payoutAccountSchema, body), principal);
  }

  /** That merchant or an officer: `{ accountName?, active? }`. */
  @Put(':accountId')
  @HttpCode(200)
  change(
    @Param('id') id: string,
    @Param('accountId') accountId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PayoutAccountView> {
    const merchantId = merchantIdParam(id);
    assertMerchantOrOfficer(principal, merchantId);
    if (!isUuid(accountId)) {
      throw ApiError.notFound({ vi: 'Không tìm thấy tài khoản nhận tiền', en: 'Payout account not found' });
    }
    return this.accounts.change(merchantId, accountId.toLowerCase(), parseBody(changeSchema, body), principal);
  }
}
