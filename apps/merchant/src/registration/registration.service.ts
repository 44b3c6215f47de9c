import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { DataSource, EntityManager } from 'typeorm';
import { newTraceId } from '@cashless/contracts';
import { OutboxWriter } from '@cashless/messaging';
import { ApiError, currentRequestId } from '@cashless/observability';
import { AuditLog } from '../audit/audit-log.service';
import { generateApiKey } from '../auth/api-key';
import { allocateBoardCodes } from '../boards/board-code-allocation';
import {
  DuplicateFlagEntity,
  MerchantApiKeyEntity,
  MerchantEntity,
  PayoutAccountEntity,
} from '../merchants/merchant.entities';
import { registeredEvent } from '../merchants/merchant-events';
import { StreetsService } from '../streets/streets.service';
import { DuplicateFlag, MerchantFingerprint, detectDuplicates } from './duplicates';
import { accountKey } from './payout-account';
import type { Registration } from './registration.schema';

export interface RegistrationResult {
  id: string;
  status: 'pending';
  /** Shown once; only its hash is kept. */
  apiKey: string;
}

@Injectable()
export class RegistrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly streets: StreetsService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Records a pending merchant, its payout accounts, a fresh API key and any duplicate flags,
   * with the audit entry and the `merchant.registered` event, in one transaction.
   */
  async register(input: Registration): Promise<RegistrationResult> {
    return this.dataSource.transaction((em) => this.registerIn(em, input));
  }

  /** `register` inside the caller's transaction (the demo seed registers several shops in one). */
  async registerIn(em: EntityManager, input: Registration): Promise<RegistrationResult> {
    const wardId = await this.streets.currentWardId(input.streetId, em);
    if (wardId === null) {
      throw ApiError.validation([
        {
          field: 'streetId',
          message: {
            vi: 'Tuyến phố không có trong danh mục hoặc không còn thuộc phường/xã nào',
            en: 'The street is not in the registry or lies in no ward today',
          },
        },
      ]);
    }
    // Registrations that could flag each other queue up, so the second always sees the first.
    await this.lockFingerprint(em, input);
    const flags = detectDuplicates(
      {
        taxId: input.taxId.value,
        phone: input.phone,
        streetId: input.streetId,
        payoutAccounts: input.payoutAccounts,
      },
      await this.lookalikes(em, input),
    );

    const id = uuidv7();
    const now = new Date();
    await em.insert(MerchantEntity, {
      id,
      shopName: input.shopName,
      ownerName: input.ownerName,
      phone: input.phone,
      taxId: input.taxId.value,
      taxIdKind: input.taxId.kind,
      category: input.category,
      streetId: input.streetId,
      houseNumber: input.houseNumber,
      status: 'pending',
      statusReason: null,
      statusChangedAt: now,
      registeredAt: now,
    });
    const boardCodes = await allocateBoardCodes(em, input.payoutAccounts.length);
    await em.insert(
      PayoutAccountEntity,
      input.payoutAccounts.map((a, position) => ({
        id: randomUUID(),
        merchantId: id,
        position,
        ...a,
        boardCode: boardCodes[position],
      })),
    );
    const key = generateApiKey();
    await em.insert(MerchantApiKeyEntity, {
      id: randomUUID(),
      merchantId: id,
      lookupPrefix: key.lookupPrefix,
      keyHash: key.hash,
      revokedAt: null,
    });
    if (flags.length > 0) {
      await em.insert(
        DuplicateFlagEntity,
        flags.map((f) => ({
          merchantId: id,
          rule: f.rule,
          otherMerchantId: f.otherMerchantId,
          account: f.account ?? null,
        })),
      );
    }
    await this.audit.append(em, {
      actor: { kind: 'public' },
      action: 'merchant.registered',
      entity: 'merchant',
      entityId: id,
      merchantId: id,
      toStatus: 'pending',
      details: { duplicateFlags: flags.map(flagSummary), apiKeyPrefix: key.lookupPrefix },
    });
    await this.outbox.append(em, [
      registeredEvent(
        {
          id,
          status: 'pending',
          shopName: input.shopName,
          category: input.category,
          streetId: input.streetId,
          registeredAt: now,
          payoutAccounts: input.payoutAccounts,
        },
        wardId,
        currentRequestId() ?? newTraceId(),
      ),
    ]);
    return { id, status: 'pending', apiKey: key.key };
  }

  private async lockFingerprint(em: EntityManager, input: Registration): Promise<void> {
    const keys = [
      `tax:${input.taxId.value}`,
      `phone:${input.phone}:${input.streetId}`,
      ...input.payoutAccounts.map((a) => `account:${accountKey(a)}`),
    ];
    // Sorted lock ids: every registration takes them in the same order, so none deadlock.
    await em.query(
      `SELECT pg_advisory_xact_lock(h) FROM (
         SELECT DISTINCT hashtextextended('merchant-dup:' || k, 0) AS h FROM unnest($1::text[]) AS k
       ) locks ORDER BY h`,
      [keys],
    );
  }

  /** Merchants sharing the tax id, the phone on this street, or a payout account. */
  private async lookalikes(em: EntityManager, input: Registration): Promise<MerchantFingerprint[]> {
    const rows = (await em.query(
      `SELECT m.id, m.tax_id, m.phone, m.street_id,
              coalesce(json_agg(json_build_object('bankBin', pa.bank_bin, 'accountNumber', pa.account_number))
                FILTER (WHERE pa.id IS NOT NULL), '[]') AS accounts
       FROM merchant m LEFT JOIN payout_account pa ON pa.merchant_id = m.id
       WHERE m.tax_id = $1
          OR (m.phone = $2 AND m.street_id = $3)
          OR m.id IN (SELECT merchant_id FROM payout_account
                      WHERE (bank_bin, account_number) IN (SELECT * FROM unnest($4::text[], $5::text[])))
       GROUP BY m.id`,
      [
        input.taxId.value,
        input.phone,
        input.streetId,
        input.payoutAccounts.map((a) => a.bankBin),
        input.payoutAccounts.map((a) => a.accountNumber),
      ],
    )) as {
      id: string;
      tax_id: string;
      phone: string;
      street_id: string;
      accounts: MerchantFingerprint['payoutAccounts'];
    }[];
    return rows.map((r) => ({
      id: r.id,
      taxId: r.tax_id,
      phone: r.phone,
      streetId: r.street_id,
      payoutAccounts: r.accounts,
    }));
  }
}

function flagSummary(flag: DuplicateFlag): Record<string, string> {
  return { rule: flag.rule, otherMerchantId: flag.otherMerchantId, ...(flag.account ? { account: flag.account } : {}) };
}
