import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { currentRequestId } from '@cashless/observability';
import type { Principal } from '../auth/principal';
import { ActorKind, AuditLogEntity } from './audit-log.entity';

export interface AuditEntry {
  actor: Principal | { kind: 'public' | 'system' };
  action: string;
  entity: 'merchant' | 'street' | 'admin_unit' | 'api_key' | 'payout_account' | 'fraud_report';
  entityId: string;
  merchantId?: string;
  fromStatus?: string;
  toStatus?: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actor: { kind: ActorKind; id: string | null; name: string | null };
  action: string;
  entity: string;
  entityId: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

/** The append-only audit log: written in the transaction of the change it records. */
@Injectable()
export class AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  async append(em: EntityManager, entry: AuditEntry): Promise<void> {
    const actor = entry.actor;
    const [actorId, actorName] =
      actor.kind === 'officer'
        ? [actor.officerId, actor.username]
        : actor.kind === 'merchant'
          ? [actor.merchantId, null]
          : [null, null];
    await em.query(
      `INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, entity, entity_id, merchant_id,
                              from_status, to_status, reason, details, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12)`,
      [
        actor.kind,
        actorId,
        actorName,
        entry.action,
        entry.entity,
        entry.entityId,
        entry.merchantId ?? null,
        entry.fromStatus ?? null,
        entry.toStatus ?? null,
        entry.reason ?? null,
        JSON.stringify(entry.details ?? {}),
        currentRequestId() ?? null,
      ],
    );
  }

  async forMerchant(merchantId: string): Promise<AuditEntryView[]> {
    const rows = await this.dataSource
      .getRepository(AuditLogEntity)
      .find({ where: { merchantId }, order: { id: 'ASC' } });
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      actor: { kind: r.actorKind, id: r.actorId, name: r.actorName },
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      fromStatus: r.fromStatus,
      toStatus: r.toStatus,
      reason: r.reason,
      details: r.details,
      requestId: r.requestId,
    }));
  }
}
