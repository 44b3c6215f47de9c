import type { ReactNode } from 'react';
import { Chart } from '../shared/Chart';
import type { Lang } from '../shared/i18n';
import { Figure, TargetScore } from './display';
import { text } from './text';
import type { Area } from './types';

function funnelOption(area: Area, lang: Lang) {
  const stages = [
    [text.target[lang], area.targetBusinesses],
    [text.registered[lang], area.registered],
    [text.approved[lang], area.approved],
    [text.active30d[lang], area.active30d],
    [text.active7d[lang], area.active7d],
  ].filter(([, v]) => v !== null) as [string, number][];
  return {
    grid: { left: 8, right: 40, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', inverse: true, data: stages.map(([s]) => s), axisTick: { show: false } },
    tooltip: { trigger: 'axis' },
    series: [
      {
        type: 'bar',
        data: stages.map(([, v], i) => ({
          value: v,
          itemStyle: { color: i === 0 ? '#c7d0dc' : '#0b6e4f', opacity: 1 - i * 0.12 },
        })),
        label: { show: true, position: 'right' },
        barMaxWidth: 18,
      },
    ],
  };
}

/** One card per area: the adoption funnel (chart and figures) and the target score. */
export function AreaCard({ area, title, lang, testId }: { area: Area; title: string; lang: Lang; testId: string }) {
  const rows: [string, string, ReactNode][] = [
    ['registered', text.registered[lang], <Figure value={area.registered} kind="count" lang={lang} />],
    ['approved', text.approved[lang], <Figure value={area.approved} kind="count" lang={lang} />],
    ['active30d', text.active30d[lang], <Figure value={area.active30d} kind="count" lang={lang} />],
    ['active7d', text.active7d[lang], <Figure value={area.active7d} kind="count" lang={lang} />],
    [
      'paymentsCount',
      text.payments[lang],
      <Figure value={area.paymentsCount} kind="count" lang={lang} suppressed={area.suppressed} />,
    ],
    [
      'paymentsValue',
      text.value[lang],
      <Figure value={area.paymentsValue} kind="money" lang={lang} suppressed={area.suppressed} />,
    ],
    [
      'averageTicket',
      text.averageTicket[lang],
      <Figure value={area.averageTicket} kind="money" lang={lang} suppressed={area.suppressed} />,
    ],
    [
      'uniqueShoppers',
      text.shoppers[lang],
      <Figure value={area.uniqueShoppers} kind="count" lang={lang} suppressed={area.suppressed} />,
    ],
  ];
  return (
    <article className="card" data-testid={testId} aria-label={title}>
      <h3>{title}</h3>
      <p className="muted">
        {area.wardName ?? ''} · {text.targetScore[lang]}: <TargetScore score={area.targetScore} lang={lang} />
      </p>
      <Chart option={funnelOption(area, lang)} label={`${text.funnel[lang]}: ${title}`} height={150} />
      <dl className="kpis">
        {rows.map(([field, label, value]) => (
          <div key={field}>
            <dt>{label}</dt>
            <dd data-field={field}>{value}</dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
