import { Controller, Get, Headers, Param, Query, UseGuards } from '@nestjs/common';
import { ApiError } from '@cashless/observability';
import { Caller, CallerGuard } from '../auth/caller.guard';
import type { CallerPrincipal } from '../auth/caller.guard';
import { parseDay } from '../statements/statements.controller';
import { ReconciliationService } from './reconciliation.service';
import type { ReconciliationReport } from './reconciliation.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function officerName(caller: CallerPrincipal): string {
  if (caller.kind !== 'officer') {
    throw new ApiError(403, 'forbidden', { vi: 'Chỉ cán bộ được làm việc này', en: 'Officers only' });
  }
  return caller.username;
}

/** Reconciliation of a day, for officers: run now (stored), or read the stored runs. */
@Controller('api/v1/ledger/reconciliation')
@UseGuards(CallerGuard)
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  /** Runs the comparison now; the officer's credential reads the payment service's notifications. */
  @Get()
  run(
    @Caller() caller: CallerPrincipal,
    @Headers('authorization') authorization: string,
    @Query('date') date: unknown,
  ): Promise<ReconciliationReport> {
    const requestedBy = officerName(caller);
    return this.reconciliation.run(parseDay(date), { trigger: 'request', requestedBy, authorization });
  }

  @Get('runs')
  runs(@Caller() caller: CallerPrincipal, @Query('date') date: unknown) {
    officerName(caller);
    return this.reconciliation.runs(parseDay(date).date);
  }

  @Get('runs/:runId')
  async storedRun(@Caller() caller: CallerPrincipal, @Param('runId') runId: string): Promise<ReconciliationReport> {
    officerName(caller);
    const notFound = () => ApiError.notFound({ vi: 'Không tìm thấy lần đối soát', en: 'Reconciliation run not found' });
    if (!UUID.test(runId)) throw notFound();
    const report = await this.reconciliation.storedRun(runId.toLowerCase());
    if (!report) throw notFound();
    return report;
  }
}
