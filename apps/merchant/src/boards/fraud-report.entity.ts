import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReportReason } from './report-rules';

/** A member of the public's report about a board (QR swapped, wrong name…), for the officers. */
@Entity('fraud_report')
export class FraudReportEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'board_code', type: 'text' }) boardCode!: string;
  @Column({ name: 'payout_account_id', type: 'uuid' }) payoutAccountId!: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId!: string;
  @Column({ type: 'text' }) reason!: ReportReason;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  /** Optional, for an officer to call back; never in events or public answers. */
  @Column({ name: 'reporter_contact', type: 'text', nullable: true }) reporterContact!: string | null;
  @Column({ name: 'reporter_key', type: 'text', select: false }) reporterKey!: string;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}
