import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bank notifications (raw and canonical), payment records, the unattributed queue. */
export class BankNotificationsAndPayments1765238400000 implements MigrationInterface {
  name = 'BankNotificationsAndPayments1765238400000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
