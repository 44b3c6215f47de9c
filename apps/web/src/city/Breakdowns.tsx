import { Chart } from '../shared/Chart';
import type { Lang } from '../shared/i18n';
import { Figure } from './display';
import { text } from './text';
import type { Breakdown } from './types';

/** A breakdown as a chart of values and a table with the rates; withheld rows say so. */
export function BreakdownView({
  breakdown,
  title,
  lang,
  testId,
}: {
  breakdown: Breakdown;
  title: string;
  lang: Lang;
  testId: string;
}) {
  const visible = breakdown.rows.filter((r) => !r.suppressed && r.paymentsValue !== null);
  const option =
    breakdown.by === 'category'
      ? {
          tooltip: { trigger: 'item' },
          series: [
            {
              type: 'pie',
              radius: ['35%', '70%'],
              data: visible.map((r) => ({ name: r.label[lang], value: r.paymentsValue })),
              label: { formatter: '{b}: {d}%' },
            },
          ],
        }
      : {
          tooltip: { trigger: 'axis' },
          grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: 'category', data: visible.map((r) => r.label[lang]) },
          yAxis: { type: 'value' },
          series: [
            {
              type: 'bar',
              name: text.payments[lang],
              data: visible.map((r) => r.paymentsCount),
              itemStyle: { color: '#3b5bdb' },
            },
          ],
        };
  return (
    <section className="card" aria-label={title} data-testid={testId}>
      <h3>{title}</h3>
      <Chart option={option} label={title} height={240} />
      <table>
        <thead>
          <tr>
            <th scope="col">{breakdown.by === 'bank' ? text.bank[lang] : text.category[lang]}</th>
            <th scope="col" className="number">
              {text.payments[lang]}
            </th>
            <th scope="col" className="number">
              {text.value[lang]}
            </th>
            <th scope="col" className="number">
              {breakdown.by === 'bank' ? text.lateRate[lang] : text.share[lang]}
            </th>
            {breakdown.by === 'bank' && (
              <th scope="col" className="number">
                {text.failureRate[lang]}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {breakdown.rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row">{r.label[lang]}</th>
              <td className="number">
                <Figure value={r.paymentsCount} kind="count" lang={lang} suppressed={r.suppressed} />
              </td>
              <td className="number">
                <Figure value={r.paymentsValue} kind="money" lang={lang} suppressed={r.suppressed} />
              </td>
              <td className="number">
                <Figure
                  value={breakdown.by === 'bank' ? r.lateRate : r.shareOfValue}
                  kind="share"
                  lang={lang}
                  suppressed={r.suppressed}
                />
              </td>
              {breakdown.by === 'bank' && (
                <td className="number">
                  <Figure value={r.failureRate} kind="share" lang={lang} suppressed={r.suppressed} />
                </td>
              )}
            </tr>
          ))}
          {breakdown.rows.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                {text.noData[lang]}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
