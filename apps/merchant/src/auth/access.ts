import { ApiError } from '@cashless/observability';
import type { MerchantPrincipal, OfficerPrincipal, Principal } from './principal';

/** 403 unless the caller is an officer or the merchant `merchantId` itself. */
export function assertMerchantOrOfficer(principal: Principal, merchantId: string): void {
  if (principal.kind === 'merchant' && principal.merchantId !== merchantId) {
    throw new ApiError(403, 'forbidden', {
      vi: 'Không được xem hoặc thay đổi thông tin của cửa hàng khác',
      en: 'A merchant can only read or change its own records',
    });
  }
}

/** 403 unless the caller is the merchant `merchantId` itself (officers included: not theirs to do). */
export function assertSelf(principal: Principal, merchantId: string): MerchantPrincipal {
  if (principal.kind !== 'merchant') {
    throw new ApiError(403, 'forbidden', {
      vi: 'Chỉ chính cửa hàng được làm việc này',
      en: 'Only the merchant itself may do this',
    });
  }
  assertMerchantOrOfficer(principal, merchantId);
  return principal;
}

export function assertOfficer(principal: Principal): OfficerPrincipal {
  if (principal.kind !== 'officer') {
    throw new ApiError(403, 'forbidden', { vi: 'Chỉ cán bộ được làm việc này', en: 'Officers only' });
  }
  return principal;
}
