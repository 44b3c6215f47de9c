import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ApiError } from '@cashless/observability';
import { OfficerGuard } from '../auth/guards';
import { CurrentPrincipal } from '../auth/principal';
import type { Principal } from '../auth/principal';
import { checkedString, isUuid, parseBody, parseUuid } from '../http/validation';
import { validateShopName } from '../registration/names';
import { StreetView, StreetsService } from './streets.service';

const targetBusinesses = z.number().int().min(0).max(1_000_000).nullable();
const targetDate = z.iso.date().nullable();

// A street name follows the same text rules as a shop name (NFC, no control characters).
const createStreetSchema = z.strictObject({
  name: checkedString(validateShopName, 1000),
  wardId: checkedString(parseUuid, 100),
  targetBusinesses: targetBusinesses.optional(),
  targetDate: targetDate.optional(),
});

const targetSchema = z.strictObject({ targetBusinesses, targetDate });

const streetNotFound = () => ApiError.notFound({ vi: 'Không tìm thấy tuyến phố', en: 'Street not found' });

@Controller('api/v1/streets')
export class StreetsController {
  constructor(private readonly streets: StreetsService) {}

  /** Public: the street registry with current and former wards and provinces. */
  @Get()
  list(): Promise<StreetView[]> {
    return this.streets.list();
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<StreetView> {
    const street = isUuid(id) ? await this.streets.get(id.toLowerCase()) : undefined;
    if (!street) throw streetNotFound();
    return street;
  }

  @Post()
  @UseGuards(OfficerGuard)
  create(@Body() body: unknown, @CurrentPrincipal() officer: Principal): Promise<StreetView> {
    return this.streets.create(parseBody(createStreetSchema, body), officer);
  }

  /** Officer: the city's target for the street (businesses expected to join, by when). */
  @Put(':id/target')
  @HttpCode(200)
  @UseGuards(OfficerGuard)
  async setTarget(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() officer: Principal,
  ): Promise<StreetView> {
    if (!isUuid(id)) throw streetNotFound();
    return this.streets.setTarget(id.toLowerCase(), parseBody(targetSchema, body), officer);
  }
}
