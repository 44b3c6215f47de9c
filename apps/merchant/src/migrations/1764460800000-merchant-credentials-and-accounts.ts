import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Second part of the merchant service: labelled API keys with a coarse last-use time, the shop
 * owner's web password (login by phone), payout accounts that can be deactivated, and dated
 * administrative units entered by officers.
 */
export class MerchantCredentialsAndAccounts1764460800000 implements MigrationInterface {
  name = 'MerchantCredentialsAndAccounts1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE merchant_api_key ADD COLUMN label text, ADD COLUMN last_used_at timestamptz');
    await q.query('CREATE INDEX merchant_api_key_merchant ON merchant_api_key (merchant_id, created_at)');
    // scrypt hash of the owner's web password; null until one is set.
    await q.query('ALTER TABLE merchant ADD COLUMN password_hash text, ADD COLUMN password_set_at timestamptz');
    // The phone is the login name; it is not unique (an owner may run two shops), see ADR 0008.
    await q.query('CREATE INDEX merchant_login_phone ON merchant (phone) WHERE password_hash IS NOT NULL');
    await q.query(`
      ALTER TABLE payout_account
        ADD COLUMN active boolean NOT NULL DEFAULT true,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query('ALTER TABLE admin_unit ADD COLUMN created_by text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE admin_unit DROP COLUMN created_by');
    await q.query('ALTER TABLE payout_account DROP COLUMN active, DROP COLUMN updated_at');
    await q.query('DROP INDEX merchant_login_phone');
    await q.query('ALTER TABLE merchant DROP COLUMN password_hash, DROP COLUMN password_set_at');
    await q.query('DROP INDEX merchant_api_key_merchant');
    await q.query('ALTER TABLE merchant_api_key DROP COLUMN label, DROP COLUMN last_used_at');
  }
}
