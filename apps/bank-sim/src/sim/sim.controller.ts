import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SandboxBankService } from './sandbox-bank.service';
import type { BatchView, LoadRunView, PaidView, ScheduledView } from './sandbox-bank.service';
import { batchRequestSchema, loadRequestSchema, parseRequest, payRequestSchema } from './sim-requests';

/** The sandbox bank's own API (not behind the gateway): pay QRs, run load. */
@Controller('sim')
export class SimController {
  constructor(private readonly bank: SandboxBankService) {}

  /** 200 with the platform's answers; 202 when `delayMs` defers the delivery. */
  @Post('pay')
  async pay(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<PaidView | ScheduledView> {
    const request = parseRequest(payRequestSchema, body);
    const result = await this.bank.pay(request);
    void reply.status('scheduledFor' in result ? 202 : 200);
    return result;
  }

  @Post('pay-batch')
  @HttpCode(200)
  payBatch(@Body() body: unknown): Promise<BatchView> {
    return this.bank.payBatch(parseRequest(batchRequestSchema, body));
  }

  @Post('load')
  @HttpCode(202)
  startLoad(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): LoadRunView {
    const run = this.bank.startLoad(parseRequest(loadRequestSchema, body));
    void reply.header('location', `/sim/load/${run.id}`);
    return run;
  }

  @Get('load/:id')
  loadRun(@Param('id') id: string): LoadRunView {
    return this.bank.loadRun(id);
  }

  /** Stops scheduling; the answer is the report so far (pending sends still finish). */
  @Post('load/:id/stop')
  @HttpCode(200)
  stopLoad(@Param('id') id: string): LoadRunView {
    return this.bank.stopLoad(id);
  }
}
