import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('officer')
export class OfficerEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'text' }) username!: string;
  /** `scrypt$N$r$p$salt$hash` (see password.ts). */
  @Column({ name: 'password_hash', type: 'text' }) passwordHash!: string;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}
