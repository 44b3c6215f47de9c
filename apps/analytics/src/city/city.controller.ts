import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, OfficerGuard } from '@cashless/auth';
import type { CallerPrincipal } from '@cashless/auth';
import { ApiError } from '@cashless/observability';
import { CampaignsService } from './campaigns.service';
import { CityService } from './city.service';
import {
  adoptionQuery,
  breakdownQuery,
  campaignReportQuery,
  exportQuery,
  newCampaignBody,
  parseOrThrow,
  parseUuidParam,
  timeseriesQuery,
} from './city-params';
import type { ExportQuery } from './city-params';
import { toCsv } from './csv';
import type { CsvDocument } from './csv';
import { DEFINITIONS, adoptionCsv, breakdownCsv, timeseriesCsv } from './exports';

const campaignNotFound = () => ApiError.notFound({ vi: 'Không tìm thấy chiến dịch', en: 'Campaign not found' });

/** City monitoring for officers: aggregates only, small cells suppressed. */
@Controller('api/v1/city')
@UseGuards(OfficerGuard)
export class CityController {
  constructor(
    private readonly city: CityService,
    private readonly campaigns: CampaignsService,
  ) {}

  @Get('areas')
  areas() {
    return this.city.areas();
  }

  @Get('adoption')
  adoption(@Query() query: unknown) {
    return this.city.adoption(parseOrThrow(adoptionQuery, query));
  }

  @Get('timeseries')
  timeseries(@Query() query: unknown) {
    return this.city.timeseries(parseOrThrow(timeseriesQuery, query));
  }

  @Get('breakdown')
  breakdown(@Query() query: unknown) {
    return this.city.breakdown(parseOrThrow(breakdownQuery, query));
  }

  @Get('definitions')
  definitions() {
    return DEFINITIONS;
  }

  @Post('campaigns')
  @HttpCode(201)
  createCampaign(@Body() body: unknown, @CurrentCaller() caller: CallerPrincipal) {
    return this.campaigns.create(
      parseOrThrow(newCampaignBody, body),
      caller.kind === 'officer' ? caller.username : 'officer',
    );
  }

  @Get('campaigns')
  async listCampaigns() {
    return { campaigns: await this.campaigns.list() };
  }

  @Get('campaigns/:id')
  campaign(@Param('id') id: string) {
    return this.campaigns.get(this.campaignId(id));
  }

  @Delete('campaigns/:id')
  @HttpCode(204)
  async deleteCampaign(@Param('id') id: string): Promise<void> {
    await this.campaigns.remove(this.campaignId(id));
  }

  @Get('campaigns/:id/report')
  campaignReport(@Param('id') id: string, @Query() query: unknown) {
    return this.campaigns.report(this.campaignId(id), parseOrThrow(campaignReportQuery, query));
  }

  @Get('export.csv')
  @Header('cache-control', 'no-store')
  async exportCsv(@Query() query: unknown, @Res() reply: FastifyReply): Promise<void> {
    const q = parseOrThrow(exportQuery, query);
    const doc = await this.exportDocument(q);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="cashless-${q.dataset}-${q.from}-${q.to}.csv"`)
      .send(toCsv(doc));
  }

  @Get('export.json')
  @Header('cache-control', 'no-store')
  async exportJson(@Query() query: unknown) {
    const q = parseOrThrow(exportQuery, query);
    const doc = await this.exportDocument(q);
    return {
      dataset: q.dataset,
      from: q.from,
      to: q.to,
      definitions: DEFINITIONS,
      columns: doc.header,
      rows: doc.rows.map((r) => Object.fromEntries(doc.header.map((h, i) => [h, r[i] ?? null]))),
    };
  }

  private exportDocument(q: ExportQuery): Promise<CsvDocument> {
    const scope = { from: q.from, to: q.to, streetId: q.streetId, wardId: q.wardId };
    if (q.dataset === 'timeseries') {
      return timeseriesCsv(this.city, { ...scope, granularity: q.granularity, category: q.category, bank: q.bank });
    }
    if (q.dataset === 'breakdown') return breakdownCsv(this.city, { ...scope, by: q.by });
    return adoptionCsv(this.city, scope);
  }

  private campaignId(id: string): string {
    const parsed = parseUuidParam(id);
    if (!parsed) throw campaignNotFound();
    return parsed;
  }
}
