/** The API shapes the shop owner's page reads (merchant, payment and ledger services). */
export type MerchantStatus = 'pending' | 'active' | 'rejected' | 'suspended' | 'closed';

export interface PayoutAccount {
  id: string;
  bankBin: string;
  bankName: string | null;
  accountNumber: string;
  accountName: string;
  active: boolean;
  boardCode: string;
}

export interface Merchant {
  id: string;
  shopName: string;
  ownerName: string;
  phone: string;
  category: string;
  streetId: string;
  houseNumber: string;
  status: MerchantStatus;
  statusReason: string | null;
  registeredAt: string;
  payoutAccounts: PayoutAccount[];
}

export interface Street {
  id: string;
  name: string;
  ward: { name: string; district: string | null; province: string };
}

export interface PaymentIntent {
  id: string;
  status: string;
  amount: number;
  paymentCode: string;
  qrPayload: string;
  expiresAt: string;
}

/** One `payment` event of the live feed. */
export interface PaymentNotice {
  paymentId: string;
  merchantId: string;
  amount: number;
  channel: string;
  outcome: string;
  intentId: string | null;
  intentStatus: string | null;
  orderRef: string | null;
  paymentCode: string | null;
  payerName: string | null;
  transferredAt: string;
  recordedAt: string;
  announcement: string;
  announcementEn: string;
}

export interface ChannelTotal {
  count: number;
  value: number;
}

export interface Statement {
  merchantId: string;
  date: string;
  openingBalance: number;
  closingBalance: number;
  net: number;
  totals: { dynamic_qr: ChannelTotal; static_qr: ChannelTotal; refunds: ChannelTotal };
  entries: {
    transactionId: string;
    at: string;
    channel: string;
    amount: number;
    paymentId: string | null;
    paymentCode: string | null;
    orderRef: string | null;
    payerName: string | null;
  }[];
}

export interface ApiKey {
  id: string;
  prefix: string;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Webhook {
  url: string;
  enabled: boolean;
  secretPrefix: string;
  secret?: string;
}
