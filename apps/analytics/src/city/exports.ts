import { MIN_MERCHANTS_PER_CELL } from '../kpi/suppression';
import type { CityService } from './city.service';
import type { Cell, CsvDocument } from './csv';

/** Column definitions shared by every export (Vietnamese, then English). */
export const DEFINITIONS: Record<string, string> = {
  targetBusinesses: 'Số cơ sở dự kiến tham gia (chỉ tiêu của thành phố) / Businesses expected to join (city target)',
  registered: 'Đã đăng ký (trừ hồ sơ bị từ chối) tính đến ngày cuối kỳ / Registered (not rejected) by the last day',
  approved: 'Đã duyệt, được cấp bảng QR (trừ đã đóng) / Approved, QR board issued (not closed)',
  active7d:
    'Có ít nhất 1 giao dịch trong 7 ngày tính đến ngày cuối kỳ / At least one payment in the 7 days to the last day',
  active30d:
    'Có ít nhất 1 giao dịch trong 30 ngày tính đến ngày cuối kỳ / At least one payment in the 30 days to the last day',
  targetScore: 'Điểm chỉ tiêu = đã duyệt ÷ chỉ tiêu (1 = đạt) / Target score = approved ÷ target (1 = on target)',
  paymentsCount: 'Số giao dịch không dùng tiền mặt đã ghi nhận / Cashless payments recorded',
  paymentsValue: 'Giá trị giao dịch (đồng) / Value of payments (đồng)',
  averageTicket: 'Giá trị trung bình mỗi giao dịch (đồng) / Average payment (đồng)',
  uniqueShoppers:
    'Người mua khác nhau (ước tính từ tài khoản đã băm, sai số ~2%) / Distinct paying shoppers (estimated from hashed accounts, ~2% error)',
  lateRate:
    'Tỷ lệ thông báo đến muộn (> 60 giây sau khi chuyển) / Share of payments notified late (> 60 s after the transfer)',
  failureRate: 'Tỷ lệ thiếu tiền hoặc cần xem xét / Share underpaid or needing review',
  activeMerchants: 'Cửa hàng có giao dịch trong kỳ / Merchants with a payment in the period',
  newMerchants: 'Cửa hàng đăng ký mới trong kỳ / Merchants registered in the period',
  suppressed: `Ô có dưới ${MIN_MERCHANTS_PER_CELL} cửa hàng bị ẩn để bảo vệ doanh thu từng cửa hàng / Cells of fewer than ${MIN_MERCHANTS_PER_CELL} merchants are withheld to protect each shop's takings`,
};

function preamble(title: string, from: string, to: string, columns: string[]): Cell[][] {
  return [
    [title],
    [`Kỳ báo cáo / Period`, from, to],
    [`Múi giờ / Time zone`, 'Asia/Ho_Chi_Minh'],
    [`Nguồn / Source`, 'Cashless Street analytics (aggregates only / chỉ số liệu tổng hợp)'],
    ...columns.filter((c) => DEFINITIONS[c]).map((c) => [`# ${c}`, DEFINITIONS[c]]),
    ['# suppressed', DEFINITIONS.suppressed],
  ];
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export async function adoptionCsv(
  city: CityService,
  query: Parameters<CityService['adoption']>[0],
): Promise<CsvDocument> {
  const report = await city.adoption(query);
  const columns = [
    'targetBusinesses',
    'registered',
    'approved',
    'active7d',
    'active30d',
    'targetScore',
    'paymentsCount',
    'paymentsValue',
    'averageTicket',
    'uniqueShoppers',
  ];
  const rowOf = (
    level: string,
    street: string | null,
    ward: string | null,
    a: (typeof report.areas)[number],
  ): Cell[] => [
    level,
    street,
    ward,
    a.targetBusinesses,
    a.registered,
    a.approved,
    a.active7d,
    a.active30d,
    a.targetScore,
    a.paymentsCount,
    a.paymentsValue,
    a.averageTicket,
    a.uniqueShoppers,
    yesNo(a.suppressed),
  ];
  return {
    preamble: preamble('Mức độ tham gia theo tuyến phố / Adoption by street', report.from, report.to, columns),
    header: ['level', 'street', 'ward', ...columns, 'suppressed'],
    rows: [
      ...report.areas.map((a) => rowOf('street', a.streetName, a.wardName, a)),
      ...report.wards.map((w) => rowOf('ward', null, w.wardName, w)),
      rowOf('total', null, null, report.total),
    ],
  };
}

export async function timeseriesCsv(
  city: CityService,
  query: Parameters<CityService['timeseries']>[0],
): Promise<CsvDocument> {
  const series = await city.timeseries(query);
  const columns = [
    'paymentsCount',
    'paymentsValue',
    'averageTicket',
    'uniqueShoppers',
    'activeMerchants',
    'newMerchants',
    'lateRate',
    'failureRate',
  ];
  return {
    preamble: [
      ...preamble(
        `Chuỗi thời gian theo ${series.granularity} / Time series by ${series.granularity}`,
        series.from,
        series.to,
        columns,
      ),
      ['# filters', JSON.stringify(series.filters)],
    ],
    header: [
      'start',
      'from',
      'to',
      'partial',
      ...columns,
      'growthPaymentsCountPercent',
      'growthPaymentsValuePercent',
      'suppressed',
    ],
    rows: series.points.map((p) => [
      p.start,
      p.from,
      p.to,
      yesNo(p.partial),
      p.paymentsCount,
      p.paymentsValue,
      p.averageTicket,
      p.uniqueShoppers,
      p.activeMerchants,
      p.newMerchants,
      p.lateRate,
      p.failureRate,
      p.growth.paymentsCount,
      p.growth.paymentsValue,
      yesNo(p.suppressed),
    ]),
  };
}

export async function breakdownCsv(
  city: CityService,
  query: Parameters<CityService['breakdown']>[0],
): Promise<CsvDocument> {
  const report = await city.breakdown(query);
  const columns = ['paymentsCount', 'paymentsValue', 'averageTicket', 'lateRate', 'failureRate'];
  return {
    preamble: preamble(`Phân tích theo ${report.by} / Breakdown by ${report.by}`, report.from, report.to, columns),
    header: ['key', 'name_vi', 'name_en', ...columns, 'shareOfCount', 'shareOfValue', 'suppressed'],
    rows: report.rows.map((r) => [
      r.key,
      r.label.vi,
      r.label.en,
      r.paymentsCount,
      r.paymentsValue,
      r.averageTicket,
      r.lateRate,
      r.failureRate,
      r.shareOfCount,
      r.shareOfValue,
      yesNo(r.suppressed),
    ]),
  };
}
