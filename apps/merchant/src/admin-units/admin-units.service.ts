import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { ApiError, FieldError } from '@cashless/observability';
import { AuditLog } from '../audit/audit-log.service';
import type { OfficerPrincipal } from '../auth/principal';
import { AdminUnitEntity, AdminUnitSuccessorEntity, StreetWardEntity } from '../streets/street.entities';
import { covers } from '../streets/street-wards';
import { EndProblem, NewUnitLevel, checkEnd, nextDay, periodsOverlap } from './admin-unit-rules';

export interface AdminUnitView {
  id: string;
  level: 'province' | 'district' | 'ward';
  kind: string | null;
  name: string;
  code: string | null;
  parentId: string | null;
  validFrom: string | null;
  validTo: string | null;
  successorIds: string[];
}

export interface NewAdminUnit {
  level: NewUnitLevel;
  name: string;
  kind?: string;
  parentId?: string;
  validFrom: string;
  code?: string;
}

export interface EndAdminUnit {
  validTo: string;
  successorIds: string[];
  /** Which successor each street of the ended ward moves to; needed only with several successors. */
  streets?: { streetId: string; wardId: string }[];
}

const unitNotFound = () =>
  ApiError.notFound({ vi: 'Không tìm thấy đơn vị hành chính', en: 'Administrative unit not found' });

const END_MESSAGES: Record<EndProblem['problem'], { vi: string; en: string }> = {
  already_ended: { vi: 'Đơn vị này đã có ngày kết thúc', en: 'This unit has already ended' },
  before_start: { vi: 'Ngày kết thúc trước ngày bắt đầu hiệu lực', en: 'The end date is before the unit started' },
  unknown: { vi: 'Không có đơn vị này', en: 'No such unit' },
  self: { vi: 'Một đơn vị không kế thừa chính nó', en: 'A unit cannot succeed itself' },
  other_level: { vi: 'Đơn vị kế thừa phải cùng cấp', en: 'A successor must be of the same level' },
  wrong_start: {
    vi: 'Đơn vị kế thừa phải có hiệu lực từ ngày sau ngày kết thúc',
    en: 'A successor must start the day after the end date',
  },
};

/**
 * Officers record administrative changes: a new province or ward (valid from a date), and the
 * end of a unit with its successors, moving the streets of an ended ward to its successor from
 * the next day on. Old periods are kept, so old boards and reports still name the old ward.
 */
@Injectable()
export class AdminUnitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async list(em: EntityManager = this.dataSource.manager): Promise<AdminUnitView[]> {
    const [units, links] = await Promise.all([
      em.find(AdminUnitEntity, { order: { level: 'ASC', name: 'ASC', id: 'ASC' } }),
      em.find(AdminUnitSuccessorEntity),
    ]);
    return units.map((u) => view(u, links));
  }

  async create(input: NewAdminUnit, officer: OfficerPrincipal): Promise<AdminUnitView> {
    return this.dataSource.transaction(async (em) => {
      const fields: FieldError[] = [];
      if (input.parentId !== undefined) {
        const parent = await em.findOneBy(AdminUnitEntity, { id: input.parentId });
        if (!parent || parent.level === 'ward' || !covers(parent, input.validFrom)) {
          fields.push({
            field: 'parentId',
            message: {
              vi: 'Đơn vị cấp trên không tồn tại hoặc không có hiệu lực vào ngày bắt đầu',
              en: 'The parent unit does not exist or is not in force on the start date',
            },
          });
        }
      }
      if (fields.length > 0) throw ApiError.validation(fields);
      // One unit of a name per level and parent at a time: serialised so two officers cannot both add it.
      await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `admin-unit:${input.level}:${input.name.toLowerCase()}`,
      ]);
      const period = { validFrom: input.validFrom, validTo: null };
      const sameName = (await em.query(
        `SELECT id, valid_from::text AS "validFrom", valid_to::text AS "validTo" FROM admin_unit
         WHERE level = $1 AND lower(name) = lower($2) AND parent_id IS NOT DISTINCT FROM $3`,
        [input.level, input.name, input.parentId ?? null],
      )) as { id: string; validFrom: string | null; validTo: string | null }[];
      const sameCode = input.code
        ? ((await em.query(
            `SELECT id, valid_from::text AS "validFrom", valid_to::text AS "validTo" FROM admin_unit
             WHERE level = $1 AND code = $2`,
            [input.level, input.code],
          )) as { id: string; validFrom: string | null; validTo: string | null }[])
        : [];
      const clash = [...sameName, ...sameCode].find((u) => periodsOverlap(u, period));
      if (clash) {
        throw new ApiError(
          409,
          'admin_unit_overlaps',
          {
            vi: 'Đã có đơn vị cùng cấp, cùng tên (hoặc cùng mã) có hiệu lực trùng thời gian',
            en: 'A unit of the same level and name (or code) is already in force in that period',
          },
          { unitId: clash.id, validFrom: clash.validFrom, validTo: clash.validTo },
        );
      }
      const id = randomUUID();
      await em.query(
        `INSERT INTO admin_unit (id, level, kind, name, code, parent_id, valid_from, valid_to, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)`,
        [
          id,
          input.level,
          input.kind ?? null,
          input.name,
          input.code ?? null,
          input.parentId ?? null,
          input.validFrom,
          officer.officerId,
        ],
      );
      await this.audit.append(em, {
        actor: officer,
        action: 'admin_unit.created',
        entity: 'admin_unit',
        entityId: id,
        details: { ...input },
      });
      return this.one(em, id);
    });
  }

  async end(id: string, input: EndAdminUnit, officer: OfficerPrincipal): Promise<AdminUnitView> {
    return this.dataSource.transaction(async (em) => {
      const unit = await em
        .getRepository(AdminUnitEntity)
        .createQueryBuilder('u')
        .setLock('pessimistic_write')
        .where('u.id = :id', { id })
        .getOne();
      if (!unit) throw unitNotFound();
      const successors = await em.findBy(AdminUnitEntity, { id: In(input.successorIds) });
      const problems = checkEnd(unit, input.validTo, input.successorIds, new Map(successors.map((s) => [s.id, s])));
      if (problems.some((p) => p.problem === 'already_ended')) {
        throw new ApiError(
          409,
          'admin_unit_ended',
          { vi: END_MESSAGES.already_ended.vi, en: END_MESSAGES.already_ended.en },
          { validTo: unit.validTo },
        );
      }
      if (problems.length > 0) {
        throw ApiError.validation(
          problems.map((p) => ({
            field: p.field === 'successorIds' ? `successorIds[${p.index}]` : p.field,
            message: END_MESSAGES[p.problem],
          })),
        );
      }
      const moves = unit.level === 'ward' ? await this.streetMoves(em, unit, input) : [];
      const start = nextDay(input.validTo);
      await em.update(AdminUnitEntity, { id }, { validTo: input.validTo });
      await em.insert(
        AdminUnitSuccessorEntity,
        input.successorIds.map((successorId) => ({ unitId: id, successorId })),
      );
      for (const move of moves) {
        await em.update(StreetWardEntity, { id: move.link.id }, { validTo: input.validTo });
        await em.insert(StreetWardEntity, {
          streetId: move.link.streetId,
          wardId: move.wardId,
          validFrom: start,
          validTo: move.link.validTo,
        });
        await this.audit.append(em, {
          actor: officer,
          action: 'street.ward_changed',
          entity: 'street',
          entityId: move.link.streetId,
          details: { fromWardId: id, toWardId: move.wardId, from: start },
        });
      }
      await this.audit.append(em, {
        actor: officer,
        action: 'admin_unit.ended',
        entity: 'admin_unit',
        entityId: id,
        details: {
          validTo: input.validTo,
          successorIds: input.successorIds,
          streets: moves.map((m) => ({ streetId: m.link.streetId, wardId: m.wardId })),
        },
      });
      return this.one(em, id);
    });
  }

  /** The street links of the ward that reach past its end, and the successor each moves to. */
  private async streetMoves(
    em: EntityManager,
    unit: AdminUnitEntity,
    input: EndAdminUnit,
  ): Promise<{ link: StreetWardEntity; wardId: string }[]> {
    const links = (await em.findBy(StreetWardEntity, { wardId: unit.id })).filter(
      (l) => l.validTo === null || l.validTo > input.validTo,
    );
    const fields: FieldError[] = [];
    if (links.some((l) => l.validFrom !== null && l.validFrom > input.validTo)) {
      fields.push({
        field: 'validTo',
        message: {
          vi: 'Có tuyến phố thuộc phường/xã này từ sau ngày kết thúc',
          en: 'A street joined this ward after the end date',
        },
      });
    }
    const chosen = new Map((input.streets ?? []).map((s) => [s.streetId, s.wardId]));
    (input.streets ?? []).forEach((s, i) => {
      if (!input.successorIds.includes(s.wardId)) {
        fields.push({
          field: `streets[${i}].wardId`,
          message: { vi: 'Phải là một đơn vị kế thừa', en: 'Must be one of the successors' },
        });
      }
    });
    const moves = links.map((link) => ({
      link,
      wardId: input.successorIds.length === 1 ? input.successorIds[0] : chosen.get(link.streetId),
    }));
    for (const move of moves) {
      if (move.wardId === undefined) {
        fields.push({
          field: 'streets',
          message: {
            vi: `Cần chọn phường/xã kế thừa cho tuyến phố ${move.link.streetId}`,
            en: `Choose the successor ward of street ${move.link.streetId}`,
          },
        });
      }
    }
    if (fields.length > 0) throw ApiError.validation(fields);
    return moves.map((m) => ({ link: m.link, wardId: m.wardId! }));
  }

  private async one(em: EntityManager, id: string): Promise<AdminUnitView> {
    const unit = await em.findOneByOrFail(AdminUnitEntity, { id });
    return view(unit, await em.findBy(AdminUnitSuccessorEntity, { unitId: id }));
  }
}

function view(unit: AdminUnitEntity, links: AdminUnitSuccessorEntity[]): AdminUnitView {
  return {
    id: unit.id,
    level: unit.level,
    kind: unit.kind,
    name: unit.name,
    code: unit.code,
    parentId: unit.parentId,
    validFrom: unit.validFrom,
    validTo: unit.validTo,
    successorIds: links.filter((l) => l.unitId === unit.id).map((l) => l.successorId),
  };
}
