import type { DemoSeedContext } from '@cashless/platform';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuditLog } from '../audit/audit-log.service';
import { apiKeyFromSecret } from '../auth/api-key';
import { loadAuthConfig } from '../auth/auth.config';
import { AuthService, SEEDED_OFFICER } from '../auth/auth.service';
import { OfficerEntity } from '../auth/officer.entity';
import { hashPassword } from '../auth/password';
import { MerchantEntity } from '../merchants/merchant.entities';
import { MerchantsService } from '../merchants/merchants.service';
import { registrationSchema } from '../registration/registration.schema';
import { RegistrationService } from '../registration/registration.service';
import { mstCheckDigit } from '../registration/tax-id';
import { StreetsService } from '../streets/streets.service';

/**
 * Development credentials of the first demo shop, published in the README: they exist only in a
 * database seeded outside production.
 */
export const DEMO_API_KEY = 'csk_demo-key-for-local-development-only-0000000';
export const DEMO_PASSWORD = 'cua-hang-demo-2026';

/** A 10-digit MST (Bình Phước tax office prefix 38) with a correct check digit, from 8 digits. */
export function demoMst(eightDigits: string): string {
  for (let last = 0; last < 10; last++) {
    const nine = `${eightDigits.slice(0, 8)}${last}`;
    const check = mstCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
  throw new Error(`no MST check digit for ${eightDigits}`);
}

interface DemoShop {
  shopName: string;
  ownerName: string;
  phone: string;
  taxId: string;
  category: string;
  houseNumber: string;
  payoutAccounts: { bankBin: string; accountNumber: string; accountName: string }[];
}

/** Four shops for each of the first pilot streets; numbers are made up but pass validation. */
export const DEMO_SHOPS: readonly (readonly DemoShop[])[] = [
  [
    {
      shopName: 'Phở Bắc Hải Ký',
      ownerName: 'Nguyễn Văn Hải',
      phone: '0912468135',
      taxId: demoMst('38011234'),
      category: 'food_drink',
      houseNumber: '215',
      payoutAccounts: [{ bankBin: '970436', accountNumber: '0281000468135', accountName: 'Nguyễn Văn Hải' }],
    },
    {
      shopName: 'Cà phê Sân Vườn Mộc',
      ownerName: 'Trần Thị Thu Hà',
      phone: '0983527914',
      taxId: '070185001234',
      category: 'food_drink',
      houseNumber: '340A',
      payoutAccounts: [{ bankBin: '970416', accountNumber: '24681357', accountName: 'Trần Thị Thu Hà' }],
    },
    {
      shopName: 'Tạp hoá Minh Tâm',
      ownerName: 'Lê Minh Tâm',
      phone: '0358204776',
      taxId: demoMst('38024567'),
      category: 'grocery',
      houseNumber: '87',
      payoutAccounts: [
        { bankBin: '970418', accountNumber: '65010001204776', accountName: 'Lê Minh Tâm' },
        { bankBin: '970422', accountNumber: '0358204776', accountName: 'Lê Minh Tâm' },
      ],
    },
    {
      shopName: 'Tiệm tóc Thanh Xuân',
      ownerName: 'Phạm Thị Thanh Xuân',
      phone: '0797331082',
      taxId: '070190004567',
      category: 'health_beauty',
      houseNumber: '12/3',
      payoutAccounts: [{ bankBin: '970415', accountNumber: '101870331082', accountName: 'Phạm Thị Thanh Xuân' }],
    },
  ],
  [
    {
      shopName: 'Bánh mì Cô Ba',
      ownerName: 'Võ Thị Ba',
      phone: '0868112509',
      taxId: '070178002345',
      category: 'food_drink',
      houseNumber: '5',
      payoutAccounts: [{ bankBin: '970422', accountNumber: '0868112509', accountName: 'Võ Thị Ba' }],
    },
    {
      shopName: 'Nhà thuốc Phước Thiện',
      ownerName: 'Đỗ Quang Phước',
      phone: '0903775418',
      taxId: demoMst('38045612'),
      category: 'health_beauty',
      houseNumber: '168',
      payoutAccounts: [{ bankBin: '970407', accountNumber: '19036775418011', accountName: 'Đỗ Quang Phước' }],
    },
    {
      shopName: 'Điện thoại Hoàng Long',
      ownerName: 'Hoàng Văn Long',
      phone: '0944602337',
      taxId: demoMst('38056723'),
      category: 'electronics',
      houseNumber: '22B',
      payoutAccounts: [{ bankBin: '970405', accountNumber: '5500205602337', accountName: 'Hoàng Văn Long' }],
    },
    {
      shopName: 'Thời trang Ngọc Trâm',
      ownerName: 'Bùi Ngọc Trâm',
      phone: '0765219840',
      taxId: '070195006789',
      category: 'fashion',
      houseNumber: '301',
      payoutAccounts: [{ bankBin: '970403', accountNumber: '060219840123', accountName: 'Bùi Ngọc Trâm' }],
    },
  ],
];

const SEED_LOCK = 'merchant-demo-seed';

/**
 * `node main.js seed-demo` (run by `npm start`): when no merchant exists yet, approved demo shops
 * on the pilot streets, each registered and approved through the services' own code (same
 * validation, events and audit entries; the approving officer is `admin`), in one transaction.
 * The first shop gets a published development API key and web password. Does nothing in
 * production or once any merchant exists.
 */
export async function seedDemoMerchants(
  { dataSource, outbox, logger }: DemoSeedContext,
  env: Record<string, string | undefined> = process.env,
): Promise<{ created: number }> {
  if (env.NODE_ENV === 'production') {
    logger.info('demo merchants are never seeded in production');
    return { created: 0 };
  }
  // The approving officer must exist even when the service has never started.
  await new AuthService(dataSource, loadAuthConfig(env)).onApplicationBootstrap();
  const audit = new AuditLog(dataSource);
  const streets = new StreetsService(dataSource, audit);
  const registration = new RegistrationService(dataSource, outbox, streets, audit);
  const merchants = new MerchantsService(dataSource, outbox, streets, audit);
  const apiKeys = new ApiKeysService(dataSource, audit);

  // Read before the transaction: `list` reads in parallel, which one transaction's connection cannot.
  const pilot = (await streets.list()).filter((s) => s.programme !== null && s.ward !== null);
  const created = await dataSource.transaction(async (em) => {
    // Two seeds at once: the second waits, then sees the first one's merchants.
    await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [SEED_LOCK]);
    if (await em.exists(MerchantEntity)) return [];
    const officer = await em.findOneByOrFail(OfficerEntity, { username: SEEDED_OFFICER });
    const principal = { kind: 'officer' as const, officerId: officer.id, username: officer.username };
    const shops: { id: string; shopName: string; phone: string; street: string }[] = [];
    for (const [index, street] of pilot.slice(0, DEMO_SHOPS.length).entries()) {
      for (const shop of DEMO_SHOPS[index]) {
        const input = registrationSchema.parse({ ...shop, streetId: street.id });
        const { id } = await registration.registerIn(em, input);
        await merchants.transitionIn(em, id, 'approve', null, principal);
        shops.push({ id, shopName: input.shopName, phone: input.phone, street: street.name });
      }
    }
    if (shops.length > 0) {
      const demo = shops[0];
      await apiKeys.createIn(
        em,
        demo.id,
        'demo (development only)',
        { kind: 'system' },
        apiKeyFromSecret(DEMO_API_KEY),
      );
      await em.update(
        MerchantEntity,
        { id: demo.id },
        { passwordHash: await hashPassword(DEMO_PASSWORD), passwordSetAt: new Date() },
      );
      await audit.append(em, {
        actor: { kind: 'system' },
        action: 'merchant.password_set',
        entity: 'merchant',
        entityId: demo.id,
        merchantId: demo.id,
        details: { via: 'demo_seed' },
      });
    }
    return shops;
  });
  if (created.length > 0) {
    const demo = created[0];
    logger.warn(
      {
        merchantId: demo.id,
        shopName: demo.shopName,
        street: demo.street,
        apiKey: DEMO_API_KEY,
        login: { username: demo.phone, password: DEMO_PASSWORD },
      },
      'demo shop credentials (development only): Authorization: Bearer <apiKey>, or POST /api/v1/auth/login',
    );
  }
  return { created: created.length };
}
