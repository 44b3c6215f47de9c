import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ApiError } from '@cashless/observability';

/**
 * Caller authentication for the services that hold no credentials (payment, ledger, analytics):
 * they ask the merchant service who an `Authorization` header belongs to (ADR 0010) and guard
 * their routes with the answer.
 */

/** Who is calling, as the merchant service says. */
export type CallerPrincipal = { kind: 'merchant'; merchantId: string } | { kind: 'officer'; username: string };

/** Resolves an `Authorization` header: undefined when it is invalid or missing. */
export abstract class MerchantAuthenticator {
  abstract authenticate(authorization: string): Promise<CallerPrincipal | undefined>;
}

export const unauthorized = () =>
  new ApiError(401, 'unauthorized', {
    vi: 'Chưa đăng nhập hoặc thông tin xác thực không hợp lệ',
    en: 'Missing or invalid credentials',
  });

export const MERCHANT_AUTH_OPTIONS = Symbol('MERCHANT_AUTH_OPTIONS');
export interface MerchantAuthOptions {
  /** Base URL of the merchant service, e.g. `http://127.0.0.1:8081`. */
  merchantUrl: string;
  /** How long a positive answer is reused: bounds both load on merchant and revocation delay. */
  cacheTtlMs: number;
  timeoutMs: number;
}

const MAX_CACHED = 10_000;

/**
 * Asks the merchant service (`GET /api/v1/auth/principal`) who a credential belongs to, and
 * remembers positive answers for `cacheTtlMs` under the credential's SHA-256 (never the secret).
 */
@Injectable()
export class HttpMerchantAuthenticator extends MerchantAuthenticator {
  private readonly cache = new Map<string, { principal: CallerPrincipal; until: number }>();

  constructor(@Inject(MERCHANT_AUTH_OPTIONS) private readonly options: MerchantAuthOptions) {
    super();
  }

  async authenticate(authorization: string): Promise<CallerPrincipal | undefined> {
    const cacheKey = createHash('sha256').update(authorization).digest('hex');
    const now = Date.now();
    const hit = this.cache.get(cacheKey);
    if (hit && hit.until > now) return hit.principal;
    let response: Response;
    try {
      response = await fetch(new URL('/api/v1/auth/principal', this.options.merchantUrl), {
        headers: { authorization },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch {
      throw new ApiError(503, 'auth_unavailable', {
        vi: 'Tạm thời không xác thực được, vui lòng thử lại',
        en: 'Authentication is temporarily unavailable, please retry',
      });
    }
    if (response.status === 401) return undefined;
    if (!response.ok) {
      throw new ApiError(503, 'auth_unavailable', {
        vi: 'Tạm thời không xác thực được, vui lòng thử lại',
        en: 'Authentication is temporarily unavailable, please retry',
      });
    }
    const body = (await response.json()) as { kind?: string; merchantId?: string; username?: string };
    let principal: CallerPrincipal;
    if (body.kind === 'merchant' && typeof body.merchantId === 'string') {
      principal = { kind: 'merchant', merchantId: body.merchantId };
    } else if (body.kind === 'officer' && typeof body.username === 'string') {
      principal = { kind: 'officer', username: body.username };
    } else {
      throw new ApiError(503, 'auth_unavailable', {
        vi: 'Tạm thời không xác thực được, vui lòng thử lại',
        en: 'Authentication is temporarily unavailable, please retry',
      });
    }
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(cacheKey, { principal, until: now + this.options.cacheTtlMs });
    return principal;
  }
}

const PRINCIPAL = Symbol('principal');
type RequestWithPrincipal = {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  [PRINCIPAL]?: CallerPrincipal;
};

/**
 * The bearer credential of a request. `access_token` in the query is accepted only where a browser
 * cannot set headers (EventSource for the live feed), when the guard allows it.
 */
function credentialOf(request: RequestWithPrincipal, allowQueryToken: boolean): string {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^Bearer [\x21-\x7e]{1,2000}$/i.test(header.trim())) return header.trim();
  const token = allowQueryToken ? request.query?.access_token : undefined;
  if (header === undefined && typeof token === 'string' && /^[\x21-\x7e]{1,2000}$/.test(token)) return `Bearer ${token}`;
  throw unauthorized();
}

async function authenticateRequest(
  authenticator: MerchantAuthenticator,
  context: ExecutionContext,
  allowQueryToken = false,
): Promise<CallerPrincipal> {
  const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
  const principal = await authenticator.authenticate(credentialOf(request, allowQueryToken));
  if (!principal) throw unauthorized();
  request[PRINCIPAL] = principal;
  return principal;
}

/** Merchant routes: a merchant API key (or web login token); an officer gets 403. */
@Injectable()
export class MerchantGuard implements CanActivate {
  constructor(private readonly authenticator: MerchantAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = await authenticateRequest(this.authenticator, context);
    if (principal.kind !== 'merchant') {
      throw new ApiError(403, 'forbidden', {
        vi: 'Chỉ cửa hàng (khoá API) được làm việc này',
        en: 'Merchants (API key) only',
      });
    }
    return true;
  }
}

/** Officer routes (login token); a merchant gets 403. */
@Injectable()
export class OfficerGuard implements CanActivate {
  constructor(private readonly authenticator: MerchantAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = await authenticateRequest(this.authenticator, context);
    if (principal.kind !== 'officer') {
      throw new ApiError(403, 'forbidden', { vi: 'Chỉ cán bộ được làm việc này', en: 'Officers only' });
    }
    return true;
  }
}

/**
 * `/merchants/:id/...` routes: that merchant or an officer; another merchant gets 404 (its
 * existence is not revealed). Accepts `?access_token=` for EventSource clients.
 */
@Injectable()
export class MerchantSelfOrOfficerGuard implements CanActivate {
  constructor(private readonly authenticator: MerchantAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = await authenticateRequest(this.authenticator, context, true);
    const id = context.switchToHttp().getRequest<{ params?: Record<string, string> }>().params?.id;
    if (principal.kind === 'merchant' && principal.merchantId !== id?.toLowerCase()) {
      throw ApiError.notFound({ vi: 'Không tìm thấy cửa hàng', en: 'Merchant not found' });
    }
    return true;
  }
}

/** The merchant id MerchantGuard authenticated. */
export const CurrentMerchant = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL];
  if (principal?.kind !== 'merchant') throw new Error('CurrentMerchant used without MerchantGuard');
  return principal.merchantId;
});

/** The principal any of the guards above authenticated. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): CallerPrincipal => {
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL];
    if (!principal) throw new Error('CurrentCaller used without a guard');
    return principal;
  },
);
