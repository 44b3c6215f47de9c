import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiError } from '@cashless/observability';
import { AuthService } from './auth.service';
import { PRINCIPAL, RequestWithPrincipal } from './principal';

const unauthenticated = () =>
  new ApiError(401, 'unauthorized', {
    vi: 'Cần đăng nhập (Authorization: Bearer …)',
    en: 'Authentication required (Authorization: Bearer …)',
  });

/** Any caller with valid credentials: an officer token or a merchant API key. */
@Injectable()
export class AuthenticatedGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const principal = await this.auth.authenticate(request.headers.authorization);
    if (!principal) throw unauthenticated();
    request[PRINCIPAL] = principal;
    return true;
  }
}

/** Officer routes: only a valid officer token gets through; a merchant key gets 403. */
@Injectable()
export class OfficerGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const principal = await this.auth.authenticate(request.headers.authorization);
    if (!principal) throw unauthenticated();
    if (principal.kind !== 'officer') {
      throw new ApiError(403, 'forbidden', { vi: 'Chỉ cán bộ được làm việc này', en: 'Officers only' });
    }
    request[PRINCIPAL] = principal;
    return true;
  }
}
