import type { Localized } from '../shared/i18n';

/** The city API's answers (apps/analytics, `/api/v1/city/...`), as the pages read them. */
export interface Areas {
  streets: {
    id: string;
    name: string;
    wardId: string | null;
    wardName: string | null;
    targetBusinesses: number | null;
  }[];
  wards: { id: string; name: string; current: boolean; validTo: string | null; streetIds: string[] }[];
  categories: { code: string; label: Localized }[];
  banks: { bin: string; label: Localized }[];
}

export interface Figures {
  paymentsCount: number | null;
  paymentsValue: number | null;
  averageTicket: number | null;
  lateRate: number | null;
  failureRate: number | null;
  suppressed: boolean;
}

export interface Area extends Figures {
  streetId: string | null;
  streetName: string | null;
  wardId: string | null;
  wardName: string | null;
  from: string;
  to: string;
  targetBusinesses: number | null;
  registered: number;
  approved: number;
  active7d: number;
  active30d: number;
  shares: { registered: number | null; approved: number | null; active7d: number | null; active30d: number | null };
  targetScore: number | null;
  uniqueShoppers: number | null;
  payingMerchants: number;
}

export interface Adoption {
  from: string;
  to: string;
  areas: Area[];
  wards: Area[];
  total: Area;
}

export interface Point extends Figures {
  start: string;
  from: string;
  to: string;
  partial: boolean;
  uniqueShoppers: number | null;
  activeMerchants: number;
  newMerchants: number | null;
  growth: { paymentsCount: number | null; paymentsValue: number | null };
}

export interface Series {
  granularity: 'day' | 'week' | 'month';
  points: Point[];
}

export interface Breakdown {
  by: string;
  rows: (Figures & { key: string; label: Localized; shareOfValue: number | null; shareOfCount: number | null })[];
  total: Figures;
}

export interface Campaign {
  id: string;
  name: string;
  startDate: string;
  endDate: string;
  monthsBefore: number;
}

export interface Comparison {
  before: number;
  during: number;
  change: number;
  changePercent: number | null;
}

export interface CampaignComparison {
  paymentsCount: Comparison | null;
  paymentsValue: Comparison | null;
  newMerchants: Comparison;
  activeMerchants: Comparison;
  suppressed: boolean;
}

export interface CampaignReport {
  campaign: Campaign;
  periods: { before: { from: string; to: string }; during: { from: string; to: string } };
  overall: CampaignComparison;
  streets: (CampaignComparison & { streetId: string; streetName: string; wardName: string | null })[];
}
