import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '@cashless/observability';
import { AuditLog } from '../audit/audit-log.service';
import type { Principal } from '../auth/principal';
import { AdminUnitEntity, StreetEntity, StreetWardEntity } from './street.entities';
import { AdminUnit, StreetWardLink, WardView, covers, resolveStreetWards, vietnamToday } from './street-wards';

export interface StreetView {
  id: string;
  name: string;
  ward: WardView | null;
  history: { ward: WardView; validFrom: string | null; validTo: string | null }[];
  programme: string | null;
  targetBusinesses: number | null;
  targetDate: string | null;
}

export interface NewStreet {
  name: string;
  wardId: string;
  targetBusinesses?: number | null;
  targetDate?: string | null;
}

export interface StreetTarget {
  targetBusinesses: number | null;
  targetDate: string | null;
}

@Injectable()
export class StreetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** Every street with its current ward and the wards it lay in before. The registry is small: one read each. */
  async list(em: EntityManager = this.dataSource.manager, today = vietnamToday()): Promise<StreetView[]> {
    const [streets, links, units] = await Promise.all([
      em.find(StreetEntity, { order: { name: 'ASC', id: 'ASC' } }),
      em.find(StreetWardEntity),
      this.units(em),
    ]);
    const linksByStreet = new Map<string, StreetWardLink[]>();
    for (const link of links) {
      const list = linksByStreet.get(link.streetId) ?? [];
      list.push(link);
      linksByStreet.set(link.streetId, list);
    }
    return streets.map((s) => this.view(s, linksByStreet.get(s.id) ?? [], units, today));
  }

  async get(id: string, em: EntityManager = this.dataSource.manager): Promise<StreetView | undefined> {
    const street = await em.findOneBy(StreetEntity, { id });
    if (!street) return undefined;
    const links = await em.findBy(StreetWardEntity, { streetId: id });
    return this.view(street, links, await this.units(em), vietnamToday());
  }

  /** The ward a street lies in today (what events and reports file a merchant under). */
  async currentWardId(streetId: string, em: EntityManager): Promise<string | null> {
    const links = await em.findBy(StreetWardEntity, { streetId });
    const today = vietnamToday();
    return links.find((l) => covers(l, today))?.wardId ?? null;
  }

  async create(input: NewStreet, officer: Principal): Promise<StreetView> {
    return this.dataSource.transaction(async (em) => {
      const ward = await em.findOneBy(AdminUnitEntity, { id: input.wardId });
      if (!ward || ward.level !== 'ward' || !covers(ward, vietnamToday())) {
        throw ApiError.validation([
          {
            field: 'wardId',
            message: { vi: 'Phường/xã không tồn tại hoặc không còn hiệu lực', en: 'No such ward in force today' },
          },
        ]);
      }
      // One street of a name per ward; serialised per ward so two officers cannot both add it.
      await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`street-name:${ward.id}`]);
      const today = vietnamToday();
      const clash = (await em.query(
        `SELECT s.id FROM street s JOIN street_ward sw ON sw.street_id = s.id
         WHERE sw.ward_id = $1 AND lower(s.name) = lower($2)
           AND (sw.valid_from IS NULL OR sw.valid_from <= $3) AND (sw.valid_to IS NULL OR sw.valid_to >= $3)`,
        [ward.id, input.name, today],
      )) as { id: string }[];
      if (clash.length > 0) {
        throw new ApiError(
          409,
          'street_exists',
          { vi: 'Phường/xã này đã có tuyến phố cùng tên', en: 'This ward already has a street of that name' },
          { streetId: clash[0].id },
        );
      }
      const id = randomUUID();
      await em.insert(StreetEntity, {
        id,
        name: input.name,
        programme: null,
        targetBusinesses: input.targetBusinesses ?? null,
        targetDate: input.targetDate ?? null,
      });
      await em.insert(StreetWardEntity, { streetId: id, wardId: ward.id, validFrom: null, validTo: null });
      await this.audit.append(em, {
        actor: officer,
        action: 'street.created',
        entity: 'street',
        entityId: id,
        details: {
          name: input.name,
          wardId: ward.id,
          targetBusinesses: input.targetBusinesses ?? null,
          targetDate: input.targetDate ?? null,
        },
      });
      return (await this.get(id, em))!;
    });
  }

  async setTarget(id: string, target: StreetTarget, officer: Principal): Promise<StreetView> {
    return this.dataSource.transaction(async (em) => {
      const rows = (await em.query(
        `SELECT target_businesses, target_date::text AS target_date FROM street WHERE id = $1 FOR UPDATE`,
        [id],
      )) as { target_businesses: number | null; target_date: string | null }[];
      if (rows.length === 0) throw ApiError.notFound({ vi: 'Không tìm thấy tuyến phố', en: 'Street not found' });
      await em.update(
        StreetEntity,
        { id },
        { targetBusinesses: target.targetBusinesses, targetDate: target.targetDate },
      );
      await this.audit.append(em, {
        actor: officer,
        action: 'street.target_set',
        entity: 'street',
        entityId: id,
        details: {
          before: { targetBusinesses: rows[0].target_businesses, targetDate: rows[0].target_date },
          after: target,
        },
      });
      return (await this.get(id, em))!;
    });
  }

  private async units(em: EntityManager): Promise<Map<string, AdminUnit>> {
    const units = await em.find(AdminUnitEntity);
    return new Map(units.map((u) => [u.id, u]));
  }

  private view(
    street: StreetEntity,
    links: StreetWardLink[],
    units: Map<string, AdminUnit>,
    today: string,
  ): StreetView {
    const wards = resolveStreetWards(links, units, today);
    return {
      id: street.id,
      name: street.name,
      ward: wards.current,
      history: wards.history,
      programme: street.programme,
      targetBusinesses: street.targetBusinesses,
      targetDate: street.targetDate,
    };
  }
}
