import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '../http/validation';
import { AuthService } from './auth.service';
import type { LoginResult } from './auth.service';
import { AuthenticatedGuard } from './guards';
import { CurrentPrincipal } from './principal';
import type { Principal } from './principal';

const loginSchema = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Officer or shop-owner login → `{ token, expiresAt, role, merchantId? }` (bearer). A shop
   * owner's username is its phone number (or its merchant id), see ADR 0008.
   */
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown): Promise<LoginResult> {
    const { username, password } = parseBody(loginSchema, body);
    return this.auth.login(username.trim(), password);
  }

  /**
   * Who the `Authorization` header belongs to → `{ kind: 'merchant', merchantId }` or
   * `{ kind: 'officer', username }`; 401 otherwise. The payment service authenticates merchant API keys
   * with it (ADR 0010): it holds no keys itself.
   */
  @Get('principal')
  @UseGuards(AuthenticatedGuard)
  principal(
    @CurrentPrincipal() principal: Principal,
  ): { kind: 'merchant'; merchantId: string } | { kind: 'officer'; username: string } {
    return principal.kind === 'merchant'
      ? { kind: 'merchant', merchantId: principal.merchantId }
      : { kind: 'officer', username: principal.username };
  }
}
