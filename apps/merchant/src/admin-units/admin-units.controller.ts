import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ApiError } from '@cashless/observability';
import { assertOfficer } from '../auth/access';
import { OfficerGuard } from '../auth/guards';
import { CurrentPrincipal } from '../auth/principal';
import type { Principal } from '../auth/principal';
import { checkedString, isUuid, parseBody, parseUuid } from '../http/validation';
import { accept, refuse } from '../registration/field-result';
import { validateShopName } from '../registration/names';
import { UNIT_KINDS, isIsoDay } from './admin-unit-rules';
import type { AdminUnitView } from './admin-units.service';
import { AdminUnitsService } from './admin-units.service';

const day = checkedString(
  (raw) =>
    isIsoDay(raw.trim())
      ? accept(raw.trim())
      : refuse('Ngày theo dạng YYYY-MM-DD, là một ngày có thật', 'A real calendar day written YYYY-MM-DD'),
  40,
);
const uuid = checkedString(parseUuid, 100);

const createSchema = z
  .strictObject({
    level: z.enum(['province', 'ward']),
    // Unit names follow the shop-name text rules (NFC, trimmed, no control characters).
    name: checkedString(validateShopName),
    kind: z.string().max(40).optional(),
    parentId: uuid.optional(),
    validFrom: day,
    code: checkedString(
      (raw) =>
        /^\d{2,5}$/.test(raw.trim()) ? accept(raw.trim()) : refuse('Mã gồm 2 đến 5 chữ số', 'A code has 2 to 5 digits'),
      40,
    ).optional(),
  })
  .superRefine((unit, ctx) => {
    if (unit.level === 'province' && unit.parentId !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['parentId'],
        params: { vi: 'Tỉnh/thành phố không có đơn vị cấp trên', en: 'A province has no parent unit' },
      });
    }
    if (unit.level === 'ward' && unit.parentId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['parentId'],
        params: { vi: 'Phường/xã cần tỉnh/thành phố cấp trên', en: 'A ward needs its province' },
      });
    }
    const kinds: readonly string[] = UNIT_KINDS[unit.level];
    if (unit.kind !== undefined && !kinds.includes(unit.kind.normalize('NFC').trim())) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        params: { vi: `Phải là một trong: ${kinds.join(', ')}`, en: `Must be one of: ${kinds.join(', ')}` },
      });
    }
  })
  .transform((unit) => ({ ...unit, kind: unit.kind?.normalize('NFC').trim() }));

const endSchema = z
  .strictObject({
    validTo: day,
    successorIds: z.array(uuid).min(1).max(20),
    streets: z
      .array(z.strictObject({ streetId: uuid, wardId: uuid }))
      .max(500)
      .optional(),
  })
  .superRefine((body, ctx) => {
    body.successorIds.forEach((id, i) => {
      if (body.successorIds.indexOf(id) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['successorIds', i],
          params: { vi: 'Trùng đơn vị đã liệt kê', en: 'Listed twice' },
        });
      }
    });
  });

@Controller('api/v1/admin-units')
export class AdminUnitsController {
  constructor(private readonly units: AdminUnitsService) {}

  /** Public: every unit with its period and successors (the registry behind `GET /streets`). */
  @Get()
  list(): Promise<AdminUnitView[]> {
    return this.units.list();
  }

  /** Officer: a new province or ward, valid from a date → `201`. */
  @Post()
  @UseGuards(OfficerGuard)
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<AdminUnitView> {
    return this.units.create(parseBody(createSchema, body), assertOfficer(principal));
  }

  /** Officer: the unit's last day and its successors (which start the day after). */
  @Post(':id/end')
  @HttpCode(200)
  @UseGuards(OfficerGuard)
  end(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AdminUnitView> {
    if (!isUuid(id)) {
      throw ApiError.notFound({ vi: 'Không tìm thấy đơn vị hành chính', en: 'Administrative unit not found' });
    }
    return this.units.end(id.toLowerCase(), parseBody(endSchema, body), assertOfficer(principal));
  }
}
