import { EntityManager } from 'typeorm';
import { ApiError } from '@cashless/observability';
import { isUuid } from '../http/validation';
import { MerchantEntity } from './merchant.entities';

export const merchantNotFound = () => ApiError.notFound({ vi: 'Không tìm thấy cửa hàng', en: 'Merchant not found' });

/** A merchant id from a path: anything but a UUID is simply not found. */
export function merchantIdParam(id: string): string {
  if (!isUuid(id)) throw merchantNotFound();
  return id.toLowerCase();
}

/**
 * Locks the merchant row for the rest of the transaction: every change to a merchant's keys,
 * accounts, password or status queues behind the others, so rules that count ("the last active
 * key", "at most five accounts") hold under concurrency.
 */
export async function lockMerchant(em: EntityManager, id: string): Promise<MerchantEntity> {
  const merchant = await em
    .getRepository(MerchantEntity)
    .createQueryBuilder('m')
    .setLock('pessimistic_write')
    .where('m.id = :id', { id })
    .getOne();
  if (!merchant) throw merchantNotFound();
  return merchant;
}

/** A closed merchant is final: nothing about it changes any more. */
export function assertNotClosed(merchant: MerchantEntity): void {
  if (merchant.status === 'closed') {
    throw new ApiError(
      409,
      'merchant_closed',
      { vi: 'Cửa hàng đã đóng, không thể thay đổi', en: 'The merchant is closed and can no longer be changed' },
      { status: merchant.status },
    );
  }
}
