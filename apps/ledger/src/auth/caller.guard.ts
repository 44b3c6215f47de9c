import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import { ApiError } from '@cashless/observability';
// One authenticator for the platform's services (ADR 0010); it lives with the payment service for now.
import { MerchantAuthenticator, unauthorized } from '@cashless/auth';
import type { CallerPrincipal } from '@cashless/auth';

export type { CallerPrincipal };

const CALLER = Symbol('caller');
type RequestWithCaller = {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  [CALLER]?: CallerPrincipal;
};

/**
 * Ledger routes are for officers and for the merchant the data belongs to. This guard accepts any
 * authenticated caller (the merchant service says who, ADR 0010); on `/merchants/:id/...` routes a
 * merchant other than `:id` gets 404, so another shop's existence is not revealed. Routes with the
 * merchant in the body check it with `assertMayActFor`.
 */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(private readonly authenticator: MerchantAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !/^Bearer [\x21-\x7e]{1,2000}$/i.test(header.trim())) throw unauthorized();
    const caller = await this.authenticator.authenticate(header.trim());
    if (!caller) throw unauthorized();
    request[CALLER] = caller;
    const id = request.params?.id;
    if (id !== undefined) assertMayActFor(caller, id);
    return true;
  }
}

export function assertMayActFor(caller: CallerPrincipal, merchantId: string): void {
  if (caller.kind === 'merchant' && caller.merchantId !== merchantId.toLowerCase()) {
    throw ApiError.notFound({ vi: 'Không tìm thấy cửa hàng', en: 'Merchant not found' });
  }
}

/** The caller CallerGuard authenticated. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): CallerPrincipal => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>()[CALLER];
  if (!caller) throw new Error('Caller used without CallerGuard');
  return caller;
});
