import { ExecutionContext, createParamDecorator } from '@nestjs/common';

/**
 * Who is calling: an officer (login token) or a merchant, by API key (`apiKeyId` set) or by the
 * token of a web login (`apiKeyId` null). Both merchant forms are accepted wherever one is.
 */
export type Principal =
  | { kind: 'officer'; officerId: string; username: string }
  | { kind: 'merchant'; merchantId: string; apiKeyId: string | null };

export type OfficerPrincipal = Extract<Principal, { kind: 'officer' }>;
export type MerchantPrincipal = Extract<Principal, { kind: 'merchant' }>;

export const PRINCIPAL = Symbol('principal');

export type RequestWithPrincipal = { headers: Record<string, string | string[] | undefined>; [PRINCIPAL]?: Principal };

/** The principal a guard attached to the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL],
);
