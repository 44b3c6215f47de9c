import { useT } from '../shared/i18n';
import { text } from './text';

/** "Xem thêm / Load more" under a list, with how many rows are shown; gone on the last page. */
export function LoadMore({
  shown,
  hasMore,
  loading,
  onMore,
  testId,
}: {
  shown: number;
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  testId: string;
}) {
  const { t } = useT();
  return (
    <div className="row" data-testid={testId}>
      <span className="muted" aria-live="polite">
        {t(text.shownCount).replace('{n}', String(shown))}
      </span>
      {hasMore && (
        <button type="button" className="secondary" onClick={onMore} disabled={loading} aria-busy={loading}>
          {t(loading ? text.loadingMore : text.loadMore)}
        </button>
      )}
    </div>
  );
}
