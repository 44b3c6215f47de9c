import { Controller, Get, Headers, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import { MerchantSelfOrOfficerGuard } from '../auth/merchant-auth';
import { LiveFeed } from './live-feed.service';
import { parseLastEventId } from './sse';
import { merchantIdParam } from './webhook-requests';

/**
 * `GET /api/v1/merchants/:id/feed`: the shop owner's live payments as Server-Sent Events
 * (`event: payment`, `id:` to resume from). The merchant itself (API key or login token, also as
 * `?access_token=` since EventSource cannot set headers) or an officer.
 */
@Controller('api/v1/merchants/:id')
export class FeedController {
  constructor(private readonly feed: LiveFeed) {}

  @Get('feed')
  @UseGuards(MerchantSelfOrOfficerGuard)
  async stream(
    @Param('id') id: string,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Query('lastEventId') lastEventIdQuery: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const merchantId = merchantIdParam(id);
    // May answer 429: still before the response is taken over, so it is a normal JSON error.
    const stream = this.feed.reserve(merchantId, reply.raw);
    // From here on the stream is written by hand; Fastify must not send a reply of its own.
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Nginx and similar proxies must pass events on at once, not buffer them.
      'x-accel-buffering': 'no',
    });
    await this.feed.start(stream, parseLastEventId(lastEventIdHeader) ?? parseLastEventId(lastEventIdQuery));
  }
}
