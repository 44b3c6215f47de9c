import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { DataSource, EntityManager } from 'typeorm';
import { MerchantBoardReportedData, MerchantEventTypes, Topics, newTraceId } from '@cashless/contracts';
import { keysetPage } from '@cashless/database';
import type { KeysetPosition } from '@cashless/database';
import { OutboxWriter } from '@cashless/messaging';
import { ApiError, LocalizedText, currentRequestId } from '@cashless/observability';
import { decodeVietQr, encodeVietQr, findBankByBin } from '@cashless/vietqr';
import { AuditLog } from '../audit/audit-log.service';
import { assertMerchantOrOfficer } from '../auth/access';
import { AUTH_CONFIG } from '../auth/auth.config';
import type { AuthConfig } from '../auth/auth.config';
import type { Principal } from '../auth/principal';
import { MerchantEntity, PayoutAccountEntity } from '../merchants/merchant.entities';
import { merchantNotFound } from '../merchants/merchant-lock';
import type { MerchantStatus } from '../merchants/merchant-status';
import { maskAccountNumber, normalizeBoardCode } from './board-code';
import { renderBoardPdf, renderBoardSvg } from './board-render';
import type { BoardContent, BoardFonts } from './board-render';
import { BoardVerdict, VERDICT_MESSAGES, decideVerdict } from './board-verdict';
import { FraudReportEntity } from './fraud-report.entity';
import { REPORT_LIMITS, ReportReason, decideRateLimit } from './report-rules';

export const BOARD_FONTS = Symbol('BOARD_FONTS');

export interface MerchantQr {
  payload: string;
  boardCode: string;
}

/** What the public may learn about a board: never phone, tax id or the full account number. */
export interface BoardVerification {
  boardCode: string | null;
  shopName: string | null;
  street: string | null;
  accountHolder: string | null;
  maskedAccount: string | null;
  bankShortName: string | null;
  /** The merchant's status (null when no registered board matched). */
  status: MerchantStatus | null;
  /** True only for a genuine board: an active merchant's account in use. */
  active: boolean;
  verdict: BoardVerdict;
  message: LocalizedText;
}

export interface FraudReportInput {
  reason: ReportReason;
  note?: string;
  reporterContact?: string;
}

export interface FraudReportView {
  id: string;
  boardCode: string;
  merchantId: string;
  shopName: string;
  merchantStatus: MerchantStatus;
  payoutAccountId: string;
  maskedAccount: string;
  reason: ReportReason;
  note: string | null;
  reporterContact: string | null;
  reportedAt: string;
}

interface BoardRow {
  payout_account_id: string;
  merchant_id: string;
  bank_bin: string;
  account_number: string;
  account_name: string;
  board_code: string;
  account_active: boolean;
  status: MerchantStatus;
  shop_name: string;
  street_id: string;
  street_name: string;
}

const BOARD_SELECT = `
  SELECT pa.id AS payout_account_id, pa.merchant_id, pa.bank_bin, pa.account_number, pa.account_name,
         pa.board_code, pa.active AS account_active, m.status, m.shop_name, m.street_id, s.name AS street_name
  FROM payout_account pa JOIN merchant m ON m.id = pa.merchant_id JOIN street s ON s.id = m.street_id`;

const STATUS_VI: Record<MerchantStatus, string> = {
  pending: 'đang chờ duyệt',
  active: 'đang hoạt động',
  rejected: 'bị từ chối',
  suspended: 'đang tạm ngưng',
  closed: 'đã đóng',
};

const boardNotFound = () =>
  ApiError.notFound({ vi: 'Không tìm thấy bảng QR với mã này', en: 'No board with this code' });

/**
 * Boards (static VietQR per payout account, printable A5), their public verification and the
 * public's fraud reports.
 */
@Injectable()
export class BoardsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    @Inject(AUTH_CONFIG) private readonly authConfig: AuthConfig,
    @Inject(BOARD_FONTS) private readonly fonts: BoardFonts,
  ) {}

  /**
   * The static VietQR (01 = 11, no amount) of an active merchant's payout account: the one with
   * `accountNumber`, else the first active one. Pending, suspended, rejected or closed → 409.
   */
  async qr(
    merchantId: string,
    principal: Principal,
    accountNumber?: string,
  ): Promise<MerchantQr & { board: BoardContent }> {
    assertMerchantOrOfficer(principal, merchantId);
    const merchant = await this.dataSource.getRepository(MerchantEntity).findOneBy({ id: merchantId });
    if (!merchant) throw merchantNotFound();
    if (merchant.status !== 'active') {
      throw new ApiError(
        409,
        'merchant_not_active',
        {
          vi: `Chỉ cửa hàng đang hoạt động mới có bảng QR; cửa hàng này ${STATUS_VI[merchant.status]}`,
          en: `Only active merchants get a board; this merchant is ${merchant.status}`,
        },
        { status: merchant.status },
      );
    }
    const accounts = await this.dataSource.getRepository(PayoutAccountEntity).find({
      where: { merchantId, active: true },
      order: { position: 'ASC' },
    });
    const account = accountNumber === undefined ? accounts[0] : accounts.find((a) => a.accountNumber === accountNumber);
    if (!account) {
      throw ApiError.notFound({
        vi: 'Cửa hàng không có tài khoản nhận tiền đang dùng với số này',
        en: 'The merchant has no active payout account with this number',
      });
    }
    const street = (await this.dataSource.query('SELECT name FROM street WHERE id = $1', [merchant.streetId])) as {
      name: string;
    }[];
    const payload = encodeVietQr({ bankBin: account.bankBin, account: account.accountNumber, initiation: 'static' });
    return {
      payload,
      boardCode: account.boardCode,
      board: {
        payload,
        boardCode: account.boardCode,
        shopName: merchant.shopName,
        accountHolder: account.accountName,
        maskedAccount: maskAccountNumber(account.accountNumber),
        bankShortName: bankShortName(account.bankBin),
        street: street[0]?.name ?? '',
      },
    };
  }

  renderSvg(board: BoardContent): Promise<string> {
    return renderBoardSvg(board);
  }

  renderPdf(board: BoardContent): Promise<Buffer> {
    return renderBoardPdf(board, this.fonts);
  }

  async verifyCode(raw: string): Promise<BoardVerification> {
    const code = normalizeBoardCode(raw);
    if (code === null) return emptyVerification('invalid');
    const rows = (await this.dataSource.query(`${BOARD_SELECT} WHERE pa.board_code = $1`, [code])) as BoardRow[];
    return rows.length ? verification(rows[0]) : { ...emptyVerification('unknown'), boardCode: code };
  }

  /**
   * A scanned payload: not a valid VietQR → `invalid`; its account (BIN + number) not registered
   * → `unknown`, with the bank and the masked account it would pay so the shopper sees where the
   * money would go. An account several merchants listed (flagged for officers) answers with the
   * active one, else the latest.
   */
  async verifyPayload(payload: string): Promise<BoardVerification> {
    const decoded = decodeVietQr(payload);
    const { bankBin, account } = decoded.fields;
    if (!decoded.vietqr || bankBin === null || account === null) return emptyVerification('invalid');
    const rows = (await this.dataSource.query(
      `${BOARD_SELECT} WHERE pa.bank_bin = $1 AND pa.account_number = $2
       ORDER BY (m.status = 'active' AND pa.active) DESC, pa.created_at DESC LIMIT 1`,
      [bankBin, account],
    )) as BoardRow[];
    if (rows.length) return verification(rows[0]);
    return {
      ...emptyVerification('unknown'),
      maskedAccount: maskAccountNumber(account),
      bankShortName: bankShortName(bankBin),
    };
  }

  /**
   * Records a report about a board, rate-limited per client (HMAC of its IP) and per board over
   * the last hour. The count and the insert happen under advisory locks on both keys (always in
   * the order client, board), so concurrent reports on any number of replicas cannot overshoot.
   */
  async report(
    rawCode: string,
    input: FraudReportInput,
    ip: string,
  ): Promise<{ id: string; boardCode: string; reason: ReportReason; reportedAt: string; message: LocalizedText }> {
    const code = normalizeBoardCode(rawCode);
    if (code === null) throw boardNotFound();
    const reporterKey = createHmac('sha256', this.authConfig.tokenSecret).update(`fraud-report:${ip}`).digest('hex');
    return this.dataSource.transaction(async (em) => {
      const rows = (await em.query(`${BOARD_SELECT} WHERE pa.board_code = $1`, [code])) as BoardRow[];
      if (!rows.length) throw boardNotFound();
      const board = rows[0];
      await em.query("SELECT pg_advisory_xact_lock(hashtextextended('fraud-report-ip:' || $1, 0))", [reporterKey]);
      await em.query("SELECT pg_advisory_xact_lock(hashtextextended('fraud-report-board:' || $1, 0))", [code]);
      const now = new Date();
      const decision = decideRateLimit(await this.recentCounts(em, reporterKey, code, now), now);
      if (!decision.ok) {
        throw new ApiError(
          429,
          'too_many_reports',
          decision.scope === 'ip'
            ? {
                vi: `Bạn đã gửi quá ${REPORT_LIMITS.perIpPerHour} báo cáo trong một giờ; vui lòng thử lại sau`,
                en: `At most ${REPORT_LIMITS.perIpPerHour} reports an hour from one client; try again later`,
              }
            : {
                vi: 'Bảng QR này đã nhận rất nhiều báo cáo trong giờ qua; cán bộ đang xem xét',
                en: 'This board received many reports in the last hour; officers are looking into it',
              },
          { scope: decision.scope, retryAfterSeconds: decision.retryAfterSeconds },
        );
      }
      const id = uuidv7();
      await em.insert(FraudReportEntity, {
        id,
        boardCode: code,
        payoutAccountId: board.payout_account_id,
        merchantId: board.merchant_id,
        reason: input.reason,
        note: input.note ?? null,
        reporterContact: input.reporterContact ?? null,
        reporterKey,
        createdAt: now,
      });
      await this.audit.append(em, {
        actor: { kind: 'public' },
        action: MerchantEventTypes.boardReported,
        entity: 'fraud_report',
        entityId: id,
        merchantId: board.merchant_id,
        details: { boardCode: code, payoutAccountId: board.payout_account_id, reason: input.reason },
      });
      const data: MerchantBoardReportedData = {
        reportId: id,
        merchantId: board.merchant_id,
        status: board.status,
        boardCode: code,
        payoutAccountId: board.payout_account_id,
        bankBin: board.bank_bin,
        reason: input.reason,
        streetId: board.street_id,
        reportedAt: now.toISOString(),
      };
      await this.outbox.append(em, [
        {
          topic: Topics.merchantEvents,
          type: MerchantEventTypes.boardReported,
          version: 1,
          key: board.merchant_id,
          traceId: currentRequestId() ?? newTraceId(),
          occurredAt: now,
          data,
        },
      ]);
      return {
        id,
        boardCode: code,
        reason: input.reason,
        reportedAt: now.toISOString(),
        message: {
          vi: 'Cảm ơn bạn. Cán bộ chương trình sẽ kiểm tra bảng QR này.',
          en: 'Thank you. Programme officers will check this board.',
        },
      };
    });
  }

  /** Officers: reports, newest first, optionally of one merchant or one board. */
  async listReports(query: {
    merchantId?: string;
    boardCode?: string;
    limit: number;
    offset: number;
    /** Keyset position of the last report of the previous page (replaces `offset`). */
    cursor?: KeysetPosition;
  }): Promise<{ data: FraudReportView[]; nextCursor: string | null }> {
    const after = query.cursor;
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.board_code, r.merchant_id, m.shop_name, m.status, r.payout_account_id, pa.account_number,
              r.reason, r.note, r.reporter_contact, r.created_at
       FROM fraud_report r JOIN merchant m ON m.id = r.merchant_id JOIN payout_account pa ON pa.id = r.payout_account_id
       WHERE ($1::uuid IS NULL OR r.merchant_id = $1) AND ($2::text IS NULL OR r.board_code = $2)
         AND ($5::timestamptz IS NULL OR (r.created_at, r.id) < ($5::timestamptz, $6::uuid))
       ORDER BY r.created_at DESC, r.id DESC LIMIT $3 OFFSET $4`,
      [
        query.merchantId ?? null,
        query.boardCode ?? null,
        query.limit + 1,
        after ? 0 : query.offset,
        after?.at ?? null,
        after?.id ?? null,
      ],
    )) as {
      id: string;
      board_code: string;
      merchant_id: string;
      shop_name: string;
      status: MerchantStatus;
      payout_account_id: string;
      account_number: string;
      reason: ReportReason;
      note: string | null;
      reporter_contact: string | null;
      created_at: Date;
    }[];
    const page = keysetPage(rows, query.limit, (r) => ({ at: r.created_at, id: r.id }));
    const data = page.data.map((r) => ({
      id: r.id,
      boardCode: r.board_code,
      merchantId: r.merchant_id,
      shopName: r.shop_name,
      merchantStatus: r.status,
      payoutAccountId: r.payout_account_id,
      maskedAccount: maskAccountNumber(r.account_number),
      reason: r.reason,
      note: r.note,
      reporterContact: r.reporter_contact,
      reportedAt: r.created_at.toISOString(),
    }));
    return { data, nextCursor: page.nextCursor };
  }

  private async recentCounts(em: EntityManager, reporterKey: string, code: string, now: Date) {
    const since = new Date(now.getTime() - REPORT_LIMITS.windowSeconds * 1000);
    const [row] = (await em.query(
      `SELECT count(*) FILTER (WHERE reporter_key = $1)::int AS ip,
              min(created_at) FILTER (WHERE reporter_key = $1) AS oldest_ip,
              count(*) FILTER (WHERE board_code = $2)::int AS board,
              min(created_at) FILTER (WHERE board_code = $2) AS oldest_board
       FROM fraud_report WHERE (reporter_key = $1 OR board_code = $2) AND created_at > $3`,
      [reporterKey, code, since],
    )) as { ip: number; oldest_ip: Date | null; board: number; oldest_board: Date | null }[];
    return { ip: row.ip, board: row.board, oldestIp: row.oldest_ip, oldestBoard: row.oldest_board };
  }
}

function bankShortName(bin: string): string | null {
  const bank = findBankByBin(bin);
  return bank?.shortName ?? bank?.name ?? null;
}

function emptyVerification(verdict: BoardVerdict): BoardVerification {
  return {
    boardCode: null,
    shopName: null,
    street: null,
    accountHolder: null,
    maskedAccount: null,
    bankShortName: null,
    status: null,
    active: false,
    verdict,
    message: VERDICT_MESSAGES[verdict],
  };
}

function verification(row: BoardRow): BoardVerification {
  const verdict = decideVerdict({ merchantStatus: row.status, accountActive: row.account_active });
  return {
    boardCode: row.board_code,
    shopName: row.shop_name,
    street: row.street_name,
    accountHolder: row.account_name,
    maskedAccount: maskAccountNumber(row.account_number),
    bankShortName: bankShortName(row.bank_bin),
    status: row.status,
    active: verdict === 'genuine',
    verdict,
    message: VERDICT_MESSAGES[verdict],
  };
}
