import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '../http/validation';
import { AuthService } from './auth.service';

const loginSchema = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Officer login → `{ token }` (bearer, expires; see `expiresAt`). */
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown): Promise<{ token: string; expiresAt: string }> {
    const { username, password } = parseBody(loginSchema, body);
    return this.auth.login(username.trim(), password);
  }
}
