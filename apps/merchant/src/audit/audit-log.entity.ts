import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ActorKind = 'officer' | 'merchant' | 'public' | 'system';

/** One append-only entry: who did what to which record, when and why (see the migration's trigger). */
@Entity('audit_log')
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
  @Column({ name: 'actor_kind', type: 'text' }) actorKind!: ActorKind;
  @Column({ name: 'actor_id', type: 'text', nullable: true }) actorId!: string | null;
  @Column({ name: 'actor_name', type: 'text', nullable: true }) actorName!: string | null;
  @Column({ type: 'text' }) action!: string;
  @Column({ type: 'text' }) entity!: string;
  @Column({ name: 'entity_id', type: 'text' }) entityId!: string;
  @Column({ name: 'merchant_id', type: 'uuid', nullable: true }) merchantId!: string | null;
  @Column({ name: 'from_status', type: 'text', nullable: true }) fromStatus!: string | null;
  @Column({ name: 'to_status', type: 'text', nullable: true }) toStatus!: string | null;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" }) details!: Record<string, unknown>;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId!: string | null;
}
