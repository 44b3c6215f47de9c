import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '../http/validation';
import { AuthService } from './auth.service';
import type { LoginResult } from './auth.service';

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
}
