import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { killProcessesUsing, launchPlatform } from '../../../tools/platform-process';
import type { PlatformProcess } from '../../../tools/platform-process';
import { merchantRegistered, merchantStatusChanged, paymentRecorded } from '../src/history/event-builders';
import type { SyntheticMerchant } from '../src/history/event-builders';
import { aMerchant, publish } from './analytics-app';

/**
 * The officers' dashboard in the machine's Chromium, against a platform started the way users
 * start it (gateway, merchant, analytics… on their own ports, broker and database). Merchant and
 * payment events go through the platform's Kafka into the analytics service; the page must show
 * what the API says. Screenshots are saved under test-artifacts/.
 */
const basePort = 18680;
const kafkaPort = 19996;
const postgresPort = 54389;
const origin = `http://127.0.0.1:${basePort}`;
const dataDir = mkdtempSync(join(tmpdir(), 'cashless-city-dashboard-'));
const artifacts = join(process.cwd(), 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let platform: PlatformProcess | undefined;
let browser: Browser | undefined;
let officer: string;
let streets: { id: string; name: string }[];

const vietnamToday = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) =>
  new Date(Date.parse(`${vietnamToday()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${origin}/api/v1${path}`, { headers: { authorization: `Bearer ${officer}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function loggedInPage(width = 1366, height = 900): Promise<Page> {
  const page = await browser!.newPage({
    viewport: { width, height },
    acceptDownloads: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  await page.goto(`${origin}/city`);
  await page.getByLabel('Tên đăng nhập').fill('admin');
  await page.getByLabel('Mật khẩu').fill('admin-dev-password');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByTestId('area-cards').waitFor();
  return page;
}

const vnd = (n: number) => new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }).format(n);
const count = (n: number) => new Intl.NumberFormat('vi-VN').format(n);

describe('the city dashboard in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    platform = launchPlatform({ dataDir, basePort, kafkaPort, postgresPort });
    await platform.ready;
    const login = await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-dev-password' }),
    });
    officer = ((await login.json()) as { token: string }).token;
    streets = (await (await fetch(`${origin}/api/v1/streets`)).json()) as { id: string; name: string }[];
    const [hv, ld] = ['Hùng Vương', 'Lê Duẩn'].map((name) => streets.find((s) => s.name === name)!);
    const shops: SyntheticMerchant[] = [
      ...[0, 1, 2, 3].map((i) =>
        aMerchant(hv.id, {
          registeredAt: `${daysAgo(40)}T02:00:00Z`,
          category: i < 2 ? 'food_drink' : 'grocery',
          bankBin: i % 2 ? '970436' : '970415',
        }),
      ),
      ...[0, 1, 2].map(() =>
        aMerchant(ld.id, { registeredAt: `${daysAgo(35)}T02:00:00Z`, category: 'fashion', bankBin: '970436' }),
      ),
    ];
    const payments = shops.flatMap((shop, i) =>
      [1, 3, 8, 20].map((ago, j) =>
        paymentRecorded({
          paymentId: randomUUID(),
          merchant: shop,
          amount: 25_000 + 5_000 * ((i + j) % 4),
          transferredAt: `${daysAgo(ago)}T04:00:00Z`,
          payerAccount: `9704${(i * 7 + j) % 11}`,
        }),
      ),
    );
    await publish(
      [
        ...shops.map(merchantRegistered),
        ...shops.map((s) => merchantStatusChanged(s, 'approved', `${daysAgo(30)}T03:00:00Z`)),
        ...payments,
      ],
      [`127.0.0.1:${kafkaPort}`],
    );
    // Until the analytics service has consumed all of it.
    for (let waited = 0; waited < 90_000; waited += 500) {
      const adoption = await api<{ total: { paymentsCount: number | null } }>('/city/adoption');
      if (adoption.total.paymentsCount === payments.length) break;
      await sleep(500);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    killProcessesUsing(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the index page with links to every page', async () => {
    const page = await browser!.newPage();
    const response = await page.goto(`${origin}/`);
    expect(response?.headers()['cache-control']).toBe('no-cache');
    for (const href of ['/merchant', '/check', '/officer', '/city']) {
      await expect(page.locator(`a[href="${href}"]`).count()).resolves.toBe(1);
    }
    await page.close();
  });

  it('loads after login and shows the pilot streets’ numbers as the API gives them', async () => {
    const page = await loggedInPage();
    const adoption = await api<{
      areas: {
        streetId: string;
        paymentsCount: number;
        paymentsValue: number;
        registered: number;
        approved: number;
        active7d: number;
      }[];
    }>(`/city/adoption?from=${daysAgo(89)}&to=${vietnamToday()}`);
    for (const name of ['Hùng Vương', 'Lê Duẩn']) {
      const street = streets.find((s) => s.name === name)!;
      const area = adoption.areas.find((a) => a.streetId === street.id)!;
      expect(area.paymentsCount).toBeGreaterThan(0);
      const card = page.getByTestId(`area-${street.id}`);
      await expect(card.locator('[data-field="paymentsCount"]').textContent()).resolves.toBe(count(area.paymentsCount));
      await expect(card.locator('[data-field="paymentsValue"]').textContent()).resolves.toBe(vnd(area.paymentsValue));
      await expect(card.locator('[data-field="registered"]').textContent()).resolves.toBe(count(area.registered));
      await expect(card.locator('[data-field="approved"]').textContent()).resolves.toBe(count(area.approved));
    }
    await expect(page.getByTestId('series-chart').locator('svg').count()).resolves.toBe(1);
    await expect(page.getByTestId('breakdown-bank').locator('tr[data-key="970436"]').count()).resolves.toBe(1);
    await page.screenshot({ path: join(artifacts, 'city-dashboard.png'), fullPage: true });
    await page.close();
  });

  it('filters by street and period, and switches to English', async () => {
    const page = await loggedInPage();
    const leDuan = streets.find((s) => s.name === 'Lê Duẩn')!;
    const filtered = page.waitForResponse((r) => r.url().includes('/city/adoption') && r.url().includes(leDuan.id));
    await page.getByLabel('Khu vực').selectOption(`street:${leDuan.id}`);
    await filtered;
    await expect(page.getByTestId(`area-${leDuan.id}`).isVisible()).resolves.toBe(true);
    // Only Lê Duẩn's card is left.
    await page.locator('[data-testid="area-cards"] > article:nth-child(2)').waitFor({ state: 'detached' });
    const monthly = page.waitForResponse(
      (r) => r.url().includes('/city/timeseries') && r.url().includes('granularity=month'),
    );
    await page.getByLabel('Chu kỳ').selectOption('month');
    expect((await monthly).status()).toBe(200);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect(page.getByRole('heading', { name: 'Adoption by street' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
    await page.close();
  });

  it('downloads the export as CSV with definitions, readable by Excel', async () => {
    const page = await loggedInPage();
    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await downloading;
    expect(file.suggestedFilename()).toMatch(/^cashless-adoption-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const saved = join(artifacts, file.suggestedFilename());
    await file.saveAs(saved);
    const text = readFileSync(saved, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('Hùng Vương');
    expect(text).toContain('# paymentsCount');
    await page.close();
  });

  it('works at tablet width and prints a monthly report', async () => {
    const page = await loggedInPage(820, 1180);
    await page.screenshot({ path: join(artifacts, 'city-dashboard-tablet.png'), fullPage: true });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.goto(`${origin}/city/report?month=${vietnamToday().slice(0, 7)}`);
    await page.getByTestId('monthly-report').waitFor();
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: 'In báo cáo' }).isVisible()).resolves.toBe(false);
    await page.screenshot({ path: join(artifacts, 'city-monthly-report.png'), fullPage: true });
    await page.close();
  });
});
