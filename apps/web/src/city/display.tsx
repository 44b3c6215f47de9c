import { formatNumber, formatShare, formatVnd } from '../shared/format';
import type { Lang } from '../shared/i18n';
import { text } from './text';

/** A figure that may be withheld (suppressed) or absent. */
export function Figure({
  value,
  kind,
  lang,
  suppressed,
}: {
  value: number | null;
  kind: 'count' | 'money' | 'share';
  lang: Lang;
  suppressed?: boolean;
}) {
  if (suppressed) return <span className="suppressed">{text.suppressed[lang]}</span>;
  if (value === null) return <span className="muted">—</span>;
  if (kind === 'money') return <>{formatVnd(value, lang)}</>;
  if (kind === 'share') return <>{formatShare(value, lang)}</>;
  return <>{formatNumber(value, lang)}</>;
}

/** The target score as a traffic light: on target (≥ 1), on the way (≥ 0.6), behind. */
export function TargetScore({ score, lang }: { score: number | null; lang: Lang }) {
  if (score === null) return <span className="score none">{text.noTarget[lang]}</span>;
  const level = score >= 1 ? 'good' : score >= 0.6 ? 'fair' : 'poor';
  return (
    <span className={`score ${level}`} data-field="targetScore">
      {formatShare(score, lang)}
    </span>
  );
}
