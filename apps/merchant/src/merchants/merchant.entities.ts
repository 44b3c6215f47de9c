import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Category } from '@cashless/contracts';
import type { DuplicateRule } from '../registration/duplicates';
import type { TaxIdKind } from '../registration/tax-id';
import type { MerchantStatus } from './merchant-status';

@Entity('merchant')
export class MerchantEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'shop_name', type: 'text' }) shopName!: string;
  @Column({ name: 'owner_name', type: 'text' }) ownerName!: string;
  /** National form `0xxxxxxxxx`. */
  @Column({ type: 'text' }) phone!: string;
  @Column({ name: 'tax_id', type: 'text' }) taxId!: string;
  @Column({ name: 'tax_id_kind', type: 'text' }) taxIdKind!: TaxIdKind;
  @Column({ type: 'text' }) category!: Category;
  @Column({ name: 'street_id', type: 'uuid' }) streetId!: string;
  @Column({ name: 'house_number', type: 'text' }) houseNumber!: string;
  @Column({ type: 'text' }) status!: MerchantStatus;
  @Column({ name: 'status_reason', type: 'text', nullable: true }) statusReason!: string | null;
  @Column({ name: 'status_changed_at', type: 'timestamptz' }) statusChangedAt!: Date;
  @Column({ name: 'registered_at', type: 'timestamptz' }) registeredAt!: Date;
  /** scrypt hash of the owner's web password (login name: the phone); null until set. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false }) passwordHash!: string | null;
  @Column({ name: 'password_set_at', type: 'timestamptz', nullable: true }) passwordSetAt!: Date | null;
}

@Entity('payout_account')
export class PayoutAccountEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId!: string;
  /** Order the merchant listed the accounts in; the first is the default for boards. */
  @Column({ type: 'integer' }) position!: number;
  @Column({ name: 'bank_bin', type: 'text' }) bankBin!: string;
  @Column({ name: 'account_number', type: 'text' }) accountNumber!: string;
  @Column({ name: 'account_name', type: 'text' }) accountName!: string;
  /** The board's short code (Crockford base32, see `boards/board-code.ts`); set at creation, never changed. */
  @Column({ name: 'board_code', type: 'text' }) boardCode!: string;
  /** Inactive accounts stay for history and duplicate checks; boards and payments use active ones. */
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

@Entity('merchant_api_key')
export class MerchantApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId!: string;
  @Column({ name: 'lookup_prefix', type: 'text' }) lookupPrefix!: string;
  /** SHA-256 of the key, hex; the key itself is never stored. */
  @Column({ name: 'key_hash', type: 'text' }) keyHash!: string;
  @Column({ type: 'text', nullable: true }) label!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  /** Recorded at most once a minute per key (see `shouldRecordUse`). */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
}

@Entity('duplicate_flag')
export class DuplicateFlagEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId!: string;
  @Column({ type: 'text' }) rule!: DuplicateRule;
  @Column({ name: 'other_merchant_id', type: 'uuid' }) otherMerchantId!: string;
  @Column({ type: 'text', nullable: true }) account!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}
