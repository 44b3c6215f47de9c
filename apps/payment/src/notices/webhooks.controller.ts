import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentMerchant, MerchantGuard, MerchantSelfOrOfficerGuard } from '../auth/merchant-auth';
import { NOTICE_OPTIONS } from './notice-options';
import type { NoticeOptions } from './notice-options';
import { WebhookDeliveries, deliveryNotFound } from './webhook-deliveries.service';
import type { DeliveryDetail, DeliveryPage, DeliveryView } from './webhook-deliveries.service';
import { WebhookEndpoints } from './webhook-endpoints.service';
import type { WebhookSettingsView, WebhookSettingsWithSecret } from './webhook-endpoints.service';
import {
  merchantIdParam,
  ownMerchantId,
  parseDeliveryQuery,
  parseWebhookSettings,
  uuidParam,
} from './webhook-requests';

/**
 * A merchant's webhook: settings (the merchant itself changes them; officers may read), a test
 * event, the delivery log and manual redelivery.
 */
@Controller('api/v1/merchants/:id')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly deliveries: WebhookDeliveries,
    @Inject(NOTICE_OPTIONS) private readonly options: NoticeOptions,
  ) {}

  @Get('webhooks')
  @UseGuards(MerchantSelfOrOfficerGuard)
  get(@Param('id') id: string): Promise<WebhookSettingsView> {
    return this.endpoints.get(merchantIdParam(id));
  }

  /** `{url, enabled?}` → 201 with the signing secret (shown this once) when new, else 200 without it. */
  @Put('webhooks')
  @UseGuards(MerchantGuard)
  async put(
    @CurrentMerchant() caller: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookSettingsView | WebhookSettingsWithSecret> {
    const merchantId = ownMerchantId(caller, id);
    const settings = parseWebhookSettings(body, this.options.allowPrivateAddresses);
    const result = await this.endpoints.put(merchantId, settings);
    void reply.status(result.created ? 201 : 200);
    return result.settings;
  }

  /** Turns deliveries off; pending ones are canceled. The settings stay for a later PUT. */
  @Delete('webhooks')
  @UseGuards(MerchantGuard)
  @HttpCode(200)
  disable(@CurrentMerchant() caller: string, @Param('id') id: string): Promise<WebhookSettingsView> {
    return this.endpoints.disable(ownMerchantId(caller, id));
  }

  @Post('webhooks/rotate-secret')
  @UseGuards(MerchantGuard)
  @HttpCode(200)
  rotate(@CurrentMerchant() caller: string, @Param('id') id: string): Promise<WebhookSettingsWithSecret> {
    return this.endpoints.rotateSecret(ownMerchantId(caller, id));
  }

  /** Sends a signed `webhook.test` event now and answers with the delivery and its attempt. */
  @Post('webhooks/test')
  @UseGuards(MerchantGuard)
  @HttpCode(200)
  test(@CurrentMerchant() caller: string, @Param('id') id: string): Promise<DeliveryDetail> {
    return this.deliveries.sendTest(ownMerchantId(caller, id));
  }

  @Get('webhook-deliveries')
  @UseGuards(MerchantSelfOrOfficerGuard)
  list(@Param('id') id: string, @Query() query: Record<string, unknown>): Promise<DeliveryPage> {
    return this.deliveries.list(merchantIdParam(id), parseDeliveryQuery(query));
  }

  @Get('webhook-deliveries/:deliveryId')
  @UseGuards(MerchantSelfOrOfficerGuard)
  detail(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<DeliveryDetail> {
    return this.deliveries.get(merchantIdParam(id), uuidParam(deliveryId, deliveryNotFound));
  }

  /** Schedules an immediate new attempt, even for a delivered or failed delivery (202). */
  @Post('webhook-deliveries/:deliveryId/redeliver')
  @UseGuards(MerchantGuard)
  @HttpCode(202)
  redeliver(
    @CurrentMerchant() caller: string,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<DeliveryView> {
    return this.deliveries.redeliver(ownMerchantId(caller, id), uuidParam(deliveryId, deliveryNotFound));
  }
}
