import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A province, (pre-2025) district or ward, valid between two dates. */
@Entity('admin_unit')
export class AdminUnitEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  /** Stable key of units that came from the bundled data (`ward:binh-phuoc`). */
  @Column({ type: 'text', nullable: true }) key!: string | null;
  @Column({ type: 'text' }) level!: 'province' | 'district' | 'ward';
  @Column({ type: 'text', nullable: true }) kind!: string | null;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', nullable: true }) code!: string | null;
  @Column({ name: 'parent_id', type: 'uuid', nullable: true }) parentId!: string | null;
  @Column({ name: 'valid_from', type: 'date', nullable: true }) validFrom!: string | null;
  @Column({ name: 'valid_to', type: 'date', nullable: true }) validTo!: string | null;
}

@Entity('admin_unit_successor')
export class AdminUnitSuccessorEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'uuid' }) unitId!: string;
  @PrimaryColumn({ name: 'successor_id', type: 'uuid' }) successorId!: string;
}

@Entity('street')
export class StreetEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'text', nullable: true }) key!: string | null;
  @Column({ type: 'text' }) name!: string;
  /** The programme the street belongs to ("Tuyến phố không dùng tiền mặt"). */
  @Column({ type: 'text', nullable: true }) programme!: string | null;
  @Column({ name: 'target_businesses', type: 'integer', nullable: true }) targetBusinesses!: number | null;
  @Column({ name: 'target_date', type: 'date', nullable: true }) targetDate!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}

/** Which ward a street lay in, when. */
@Entity('street_ward')
export class StreetWardEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ name: 'street_id', type: 'uuid' }) streetId!: string;
  @Column({ name: 'ward_id', type: 'uuid' }) wardId!: string;
  @Column({ name: 'valid_from', type: 'date', nullable: true }) validFrom!: string | null;
  @Column({ name: 'valid_to', type: 'date', nullable: true }) validTo!: string | null;
}
