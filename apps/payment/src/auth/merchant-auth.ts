import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ApiError } from '@cashless/observability';

/** Who is calling, as the merchant service says (ADR 0010). */
export type CallerPrincipal = { kind: 'merchant'; merchantId: string } | { kind: 'officer' };

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
    const body = (await response.json()) as { kind?: string; merchantId?: string };
    const principal: CallerPrincipal =
      body.kind === 'merchant' && typeof body.merchantId === 'string'
        ? { kind: 'merchant', merchantId: body.merchantId }
        : { kind: 'officer' };
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(cacheKey, { principal, until: now + this.options.cacheTtlMs });
    return principal;
  }
}

const MERCHANT = Symbol('merchant');
type RequestWithMerchant = { headers: Record<string, string | string[] | undefined>; [MERCHANT]?: string };

/** Merchant routes: a merchant API key (or web login token); an officer gets 403. */
@Injectable()
export class MerchantGuard implements CanActivate {
  constructor(private readonly authenticator: MerchantAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithMerchant>();
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !/^Bearer [\x21-\x7e]{1,2000}$/i.test(header.trim())) throw unauthorized();
    const principal = await this.authenticator.authenticate(header.trim());
    if (!principal) throw unauthorized();
    if (principal.kind !== 'merchant') {
      throw new ApiError(403, 'forbidden', {
        vi: 'Chỉ cửa hàng (khoá API) được làm việc này',
        en: 'Merchants (API key) only',
      });
    }
    request[MERCHANT] = principal.merchantId;
    return true;
  }
}

/** The merchant id the guard authenticated. */
export const CurrentMerchant = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<RequestWithMerchant>()[MERCHANT]!,
);
