import { ExecutionContext, createParamDecorator } from '@nestjs/common';

/** Who is calling: an officer (login token) or a merchant (API key). */
export type Principal =
  { kind: 'officer'; officerId: string; username: string } | { kind: 'merchant'; merchantId: string; apiKeyId: string };

export const PRINCIPAL = Symbol('principal');

export type RequestWithPrincipal = { headers: Record<string, string | string[] | undefined>; [PRINCIPAL]?: Principal };

/** The principal a guard attached to the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL],
);
