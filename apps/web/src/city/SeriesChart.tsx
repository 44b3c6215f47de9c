import { Chart } from '../shared/Chart';
import { formatDay, formatMonth, formatNumber, formatVnd } from '../shared/format';
import type { Lang } from '../shared/i18n';
import { text } from './text';
import type { Campaign, Series } from './types';

/** Payments (bars) and their value (line) per day, week or month, with campaign periods shaded. */
export function SeriesChart({ series, campaigns, lang }: { series: Series; campaigns: Campaign[]; lang: Lang }) {
  const label = (start: string) => (series.granularity === 'month' ? formatMonth(start) : formatDay(start));
  const categories = series.points.map((p) => label(p.start));
  const first = series.points[0]?.from;
  const last = series.points[series.points.length - 1]?.to;
  // A campaign is shaded from the bucket of its first day to the bucket of its last.
  const bucketOf = (day: string) => {
    const point = series.points.find((p) => p.from <= day && day <= p.to);
    return point ? label(point.start) : null;
  };
  const marks = campaigns
    .filter((c) => first && last && c.startDate <= last && c.endDate >= first)
    .map((c) => [
      { name: c.name, xAxis: bucketOf(c.startDate < first! ? first! : c.startDate) },
      { xAxis: bucketOf(c.endDate > last! ? last! : c.endDate) },
    ]);
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: categories },
    yAxis: [
      { type: 'value', name: text.payments[lang], axisLabel: { formatter: (v: number) => formatNumber(v, lang) } },
      { type: 'value', name: text.value[lang], axisLabel: { formatter: (v: number) => formatVnd(v, lang) } },
    ],
    series: [
      {
        name: text.payments[lang],
        type: 'bar',
        data: series.points.map((p) => p.paymentsCount),
        itemStyle: { color: '#0b6e4f' },
        markArea: marks.length
          ? { itemStyle: { color: 'rgba(183, 121, 31, 0.12)' }, label: { color: '#b7791f' }, data: marks }
          : undefined,
      },
      {
        name: text.value[lang],
        type: 'line',
        yAxisIndex: 1,
        data: series.points.map((p) => p.paymentsValue),
        itemStyle: { color: '#3b5bdb' },
        tooltip: { valueFormatter: (v: number | null) => (v === null ? '—' : formatVnd(v, lang)) },
      },
      {
        name: text.activeMerchants[lang],
        type: 'line',
        data: series.points.map((p) => p.activeMerchants),
        itemStyle: { color: '#b7791f' },
        lineStyle: { type: 'dashed' },
      },
    ],
  };
  return <Chart option={option} label={text.series[lang]} height={340} testId="series-chart" />;
}
