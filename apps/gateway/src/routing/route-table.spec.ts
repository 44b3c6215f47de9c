import { describe, expect, it } from '@jest/globals';
import { serviceFor } from './route-table';

describe('gateway route table', () => {
  it.each([
    ['/api/v1/auth/login', 'merchant'],
    ['/api/v1/streets', 'merchant'],
    ['/api/v1/merchants', 'merchant'],
    ['/api/v1/merchants/m-1/approve', 'merchant'],
    ['/api/v1/merchants/m-1/qr.png?account=123', 'merchant'],
    ['/api/v1/boards/HV-0001/report', 'merchant'],
    ['/api/v1/merchants/m-1/feed', 'payment'],
    ['/api/v1/payment-intents/pi_1/cancel', 'payment'],
    ['/api/v1/bank-notifications/sepay', 'payment'],
    ['/api/v1/merchants/m-1/balance', 'ledger'],
    ['/api/v1/merchants/m-1/statement?date=2026-11-26', 'ledger'],
    ['/api/v1/merchants/m-1/statement.csv?date=2026-11-26', 'ledger'],
    ['/api/v1/ledger/reconciliation?date=2026-11-25', 'ledger'],
    ['/api/v1/city/adoption?streetId=s1', 'analytics'],
    ['/api/v1/city/export.csv', 'analytics'],
  ])('%s → %s', (url, service) => {
    expect(serviceFor(url)).toBe(service);
  });

  it.each([
    ['/api/v1/unknown'],
    ['/api/v2/merchants'],
    ['/api/v1/merchantsX'],
    ['/api/v1/merchants/../city/adoption'],
    ['/api/v1/merchants/%2e%2e/city/adoption'],
    ['/health'],
  ])('%s is not routed', (url) => {
    expect(serviceFor(url)).toBeUndefined();
  });
});
