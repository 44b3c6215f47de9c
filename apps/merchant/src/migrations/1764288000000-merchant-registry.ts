import { MigrationInterface, QueryRunner } from 'typeorm';
import { bundledAdminUnits } from '../streets/admin-units-seed';

/**
 * Street registry with dated administrative units, merchants, payout accounts, API keys,
 * duplicate flags, officers and the audit log. Also seeds the bundled administrative units and
 * pilot streets (ADR 0007): a migration runs once per database, under the migration lock, in
 * its own transaction, so the seed is applied exactly once and officers' later edits are never
 * overwritten; the inserts are idempotent besides (`ON CONFLICT (key) DO NOTHING`).
 */
export class MerchantRegistry1764288000000 implements MigrationInterface {
  name = 'MerchantRegistry1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_unit (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key        text UNIQUE,
        level      text NOT NULL CHECK (level IN ('province', 'district', 'ward')),
        kind       text,
        name       text NOT NULL,
        code       text,
        parent_id  uuid REFERENCES admin_unit (id),
        valid_from date,
        valid_to   date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
      )`);
    await q.query(`
      CREATE TABLE admin_unit_successor (
        unit_id      uuid NOT NULL REFERENCES admin_unit (id),
        successor_id uuid NOT NULL REFERENCES admin_unit (id),
        PRIMARY KEY (unit_id, successor_id)
      )`);
    await q.query(`
      CREATE TABLE street (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key               text UNIQUE,
        name              text NOT NULL,
        programme         text,
        target_businesses integer CHECK (target_businesses >= 0),
        target_date       date,
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE street_ward (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        street_id  uuid NOT NULL REFERENCES street (id),
        ward_id    uuid NOT NULL REFERENCES admin_unit (id),
        valid_from date,
        valid_to   date,
        CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
      )`);
    await q.query('CREATE INDEX street_ward_street ON street_ward (street_id)');

    await q.query(`
      CREATE TABLE merchant (
        id                uuid PRIMARY KEY,
        shop_name         text NOT NULL,
        owner_name        text NOT NULL,
        phone             text NOT NULL,
        tax_id            text NOT NULL,
        tax_id_kind       text NOT NULL CHECK (tax_id_kind IN ('mst10', 'mst13', 'personal_id')),
        category          text NOT NULL,
        street_id         uuid NOT NULL REFERENCES street (id),
        house_number      text NOT NULL,
        status            text NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'suspended', 'closed')),
        status_reason     text,
        status_changed_at timestamptz NOT NULL,
        registered_at     timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX merchant_status ON merchant (status, registered_at)');
    await q.query('CREATE INDEX merchant_tax_id ON merchant (tax_id)');
    await q.query('CREATE INDEX merchant_phone_street ON merchant (phone, street_id)');
    await q.query(`
      CREATE TABLE payout_account (
        id             uuid PRIMARY KEY,
        merchant_id    uuid NOT NULL REFERENCES merchant (id),
        position       integer NOT NULL,
        bank_bin       text NOT NULL,
        account_number text NOT NULL,
        account_name   text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (merchant_id, bank_bin, account_number)
      )`);
    await q.query('CREATE INDEX payout_account_number ON payout_account (bank_bin, account_number)');
    await q.query(`
      CREATE TABLE merchant_api_key (
        id            uuid PRIMARY KEY,
        merchant_id   uuid NOT NULL REFERENCES merchant (id),
        lookup_prefix text NOT NULL,
        key_hash      text NOT NULL UNIQUE,
        created_at    timestamptz NOT NULL DEFAULT now(),
        revoked_at    timestamptz
      )`);
    await q.query('CREATE INDEX merchant_api_key_prefix ON merchant_api_key (lookup_prefix)');
    await q.query(`
      CREATE TABLE duplicate_flag (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        merchant_id       uuid NOT NULL REFERENCES merchant (id),
        rule              text NOT NULL CHECK (rule IN ('same_payout_account', 'same_tax_id', 'same_phone_on_street')),
        other_merchant_id uuid NOT NULL REFERENCES merchant (id),
        account           text,
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX duplicate_flag_merchant ON duplicate_flag (merchant_id)');
    await q.query(`
      CREATE TABLE officer (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username      text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    // Append-only: who did what, when and why. The trigger makes UPDATE and DELETE fail even for
    // code that forgets, so an entry, once written, is what an auditor reads.
    await q.query(`
      CREATE TABLE audit_log (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at          timestamptz NOT NULL DEFAULT now(),
        actor_kind  text NOT NULL CHECK (actor_kind IN ('officer', 'merchant', 'public', 'system')),
        actor_id    text,
        actor_name  text,
        action      text NOT NULL,
        entity      text NOT NULL,
        entity_id   text NOT NULL,
        merchant_id uuid REFERENCES merchant (id),
        from_status text,
        to_status   text,
        reason      text,
        details     jsonb NOT NULL DEFAULT '{}'::jsonb,
        request_id  text
      )`);
    await q.query('CREATE INDEX audit_log_merchant ON audit_log (merchant_id, id)');
    await q.query('CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id)');
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);

    await seedAdminUnits(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_log',
      'officer',
      'duplicate_flag',
      'merchant_api_key',
      'payout_account',
      'merchant',
      'street_ward',
      'street',
      'admin_unit_successor',
      'admin_unit',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query('DROP FUNCTION audit_log_append_only()');
  }
}

async function seedAdminUnits(q: QueryRunner): Promise<void> {
  const data = bundledAdminUnits();
  // Parents first: the file lists provinces before districts before wards, but do not rely on it.
  const order = { province: 0, district: 1, ward: 2 } as const;
  for (const unit of [...data.units].sort((a, b) => order[a.level] - order[b.level])) {
    await q.query(
      `INSERT INTO admin_unit (key, level, kind, name, code, parent_id, valid_from, valid_to)
       VALUES ($1, $2, $3, $4, $5, (SELECT id FROM admin_unit WHERE key = $6), $7, $8)
       ON CONFLICT (key) DO NOTHING`,
      [
        unit.key,
        unit.level,
        unit.kind ?? null,
        unit.name,
        unit.code,
        unit.parent ?? null,
        unit.validFrom,
        unit.validTo,
      ],
    );
  }
  for (const unit of data.units) {
    for (const successor of unit.successors) {
      await q.query(
        `INSERT INTO admin_unit_successor (unit_id, successor_id)
         SELECT u.id, s.id FROM admin_unit u, admin_unit s WHERE u.key = $1 AND s.key = $2
         ON CONFLICT DO NOTHING`,
        [unit.key, successor],
      );
    }
  }
  for (const street of data.streets) {
    const inserted = (await q.query(
      `INSERT INTO street (key, name, programme, target_businesses, target_date) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO NOTHING RETURNING id`,
      [street.key, street.name, street.pilot ?? null, street.targetBusinesses, street.targetDate],
    )) as { id: string }[];
    if (inserted.length === 0) continue;
    for (const link of street.wards) {
      await q.query(
        `INSERT INTO street_ward (street_id, ward_id, valid_from, valid_to)
         SELECT $1, id, $3, $4 FROM admin_unit WHERE key = $2`,
        [inserted[0].id, link.ward, link.validFrom ?? null, link.validTo ?? null],
      );
    }
  }
}
