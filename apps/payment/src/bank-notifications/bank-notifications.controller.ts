import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { BankNotificationsService } from './bank-notifications.service';
import type { IntakeAnswer } from './bank-notifications.service';
import { RAW_BODY, originalContentType } from './raw-body';

/**
 * `POST /api/v1/bank-notifications/:provider` (`generic`, `sepay`, `casso`, `payos`): signed by the
 * feed, public otherwise (rate limits are the gateway's). 200 for accepted, duplicate and ignored
 * notifications; SePay, Casso and payOS also get the `{"success": true}` they look for.
 */
@Controller('api/v1/bank-notifications')
export class BankNotificationsController {
  constructor(private readonly intake: BankNotificationsService) {}

  @Post(':provider')
  @HttpCode(200)
  @RouteConfig({ [RAW_BODY]: true })
  async receive(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest,
  ): Promise<IntakeAnswer | (IntakeAnswer & { success: true })> {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const answer = await this.intake.receive(provider, rawBody, request.headers, originalContentType(request));
    return provider === 'generic' ? answer : { success: true, ...answer };
  }
}
