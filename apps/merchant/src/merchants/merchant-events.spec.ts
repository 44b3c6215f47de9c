import { describe, expect, it } from '@jest/globals';
import { createEnvelope } from '@cashless/contracts';
import { merchantCatalog } from '../events';
import { payoutAccountEvent, registeredEvent, statusChangedEvent } from './merchant-events';

const merchant = {
  id: '0193c7a4-0000-7000-8000-000000000001',
  status: 'active' as const,
  shopName: 'Phở Hùng Vương',
  category: 'food_drink',
  streetId: '0193c7a4-0000-7000-8000-000000000002',
  registeredAt: new Date('2026-01-02T03:04:05Z'),
  payoutAccounts: [{ bankBin: '970436', accountNumber: '0071001234567', accountName: 'NGUYEN VAN DUC' }],
  // Fields an entity has that must never reach an event:
  ownerName: 'Nguyễn Văn Đức',
  phone: '0912345678',
  taxId: '0100109106',
};
const wardId = '0193c7a4-0000-7000-8000-000000000003';

describe('merchant events carry what consumers need and no personal identifiers', () => {
  it('merchant.registered is valid for the catalog, keyed by merchant id, without phone or tax id', () => {
    const event = registeredEvent({ ...merchant, status: 'pending' }, wardId, 'trace-1');
    expect(event).toMatchObject({
      topic: 'merchant.events.v1',
      type: 'merchant.registered',
      version: 1,
      key: merchant.id,
    });
    const envelope = merchantCatalog.validate(JSON.parse(JSON.stringify(createEnvelope(event))));
    expect(envelope.data).toEqual({
      merchantId: merchant.id,
      status: 'pending',
      shopName: 'Phở Hùng Vương',
      category: 'food_drink',
      streetId: merchant.streetId,
      wardId,
      registeredAt: '2026-01-02T03:04:05.000Z',
      payoutAccounts: merchant.payoutAccounts,
    });
    const text = JSON.stringify(event);
    for (const secret of ['0912345678', '0100109106', 'Nguyễn Văn Đức']) expect(text).not.toContain(secret);
  });

  it('status changes carry the previous status, when and which officer', () => {
    const event = statusChangedEvent(
      'merchant.approved',
      merchant,
      wardId,
      { previousStatus: 'pending', changedAt: new Date('2026-01-03T00:00:00Z'), changedBy: 'officer-1' },
      'trace-2',
    );
    const envelope = merchantCatalog.validate(JSON.parse(JSON.stringify(createEnvelope(event))));
    expect(envelope.data).toMatchObject({
      status: 'active',
      previousStatus: 'pending',
      changedAt: '2026-01-03T00:00:00.000Z',
      changedBy: 'officer-1',
    });
    expect(JSON.stringify(event)).not.toContain('0912345678');
  });

  it('payout account events carry the account and every active account after the change', () => {
    const a = {
      id: '0193c7a4-0000-7000-8000-00000000000a',
      bankBin: '970436',
      accountNumber: '0071001234567',
      accountName: 'NGUYEN VAN DUC',
      active: false,
    };
    const b = { ...a, id: '0193c7a4-0000-7000-8000-00000000000b', accountNumber: '1234567890', active: true };
    const event = payoutAccountEvent(
      'merchant.payout_account_changed',
      { ...merchant, ownerName: merchant.ownerName } as typeof merchant,
      a,
      [a, b],
      new Date('2026-01-04T00:00:00Z'),
      'trace-3',
    );
    expect(event).toMatchObject({ type: 'merchant.payout_account_changed', version: 1, key: merchant.id });
    const envelope = merchantCatalog.validate(JSON.parse(JSON.stringify(createEnvelope(event))));
    expect(envelope.data).toEqual({
      merchantId: merchant.id,
      status: 'active',
      account: a,
      payoutAccounts: [b],
      occurredAt: '2026-01-04T00:00:00.000Z',
    });
    for (const secret of ['0912345678', '0100109106', 'Nguyễn Văn Đức'])
      expect(JSON.stringify(event)).not.toContain(secret);
  });
});
