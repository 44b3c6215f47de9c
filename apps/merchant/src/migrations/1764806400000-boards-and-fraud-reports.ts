import { MigrationInterface, QueryRunner } from 'typeorm';
import { generateBoardCode } from '../boards/board-code';

/**
 * Third part of the merchant service: a board code for every payout account (existing accounts
 * get one here; new ones at creation) and the public's fraud reports, which also serve as the
 * rate-limit counter (indexed by reporter and by board over time).
 */
export class BoardsAndFraudReports1764806400000 implements MigrationInterface {
  name = 'BoardsAndFraudReports1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE payout_account ADD COLUMN board_code text');
    const accounts = (await q.query('SELECT id FROM payout_account ORDER BY id')) as { id: string }[];
    const used = new Set<string>();
    for (const { id } of accounts) {
      let code = generateBoardCode();
      while (used.has(code)) code = generateBoardCode();
      used.add(code);
      await q.query('UPDATE payout_account SET board_code = $1 WHERE id = $2', [code, id]);
    }
    await q.query('ALTER TABLE payout_account ALTER COLUMN board_code SET NOT NULL');
    await q.query('CREATE UNIQUE INDEX payout_account_board_code ON payout_account (board_code)');
    await q.query(`
      CREATE TABLE fraud_report (
        id                uuid PRIMARY KEY,
        board_code        text NOT NULL,
        payout_account_id uuid NOT NULL REFERENCES payout_account (id),
        merchant_id       uuid NOT NULL REFERENCES merchant (id),
        reason            text NOT NULL CHECK (reason IN ('qr_swapped', 'name_mismatch', 'board_damaged', 'other')),
        note              text,
        reporter_contact  text,
        -- HMAC of the client IP (rate limiting only; the address itself is not kept).
        reporter_key      text NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX fraud_report_reporter ON fraud_report (reporter_key, created_at)');
    await q.query('CREATE INDEX fraud_report_board ON fraud_report (board_code, created_at)');
    await q.query('CREATE INDEX fraud_report_merchant ON fraud_report (merchant_id, created_at)');
    await q.query('CREATE INDEX fraud_report_created ON fraud_report (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE fraud_report');
    await q.query('DROP INDEX payout_account_board_code');
    await q.query('ALTER TABLE payout_account DROP COLUMN board_code');
  }
}
