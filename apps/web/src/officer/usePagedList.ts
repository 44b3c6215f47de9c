import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiFailure, getPage } from '../shared/api';
import type { Lang } from '../shared/i18n';
import { appendPage, withCursor } from '../shared/paging';

/** Rows per page of the officers' lists: enough to scan, light enough for a phone. */
export const PAGE_SIZE = 50;

/**
 * A list read a page at a time: the first page on load (and when `path` changes or on `reload()`),
 * the next one on `loadMore()` from the API's cursor, until it has none.
 */
export function usePagedList<T extends { id: string }>(path: string, lang: Lang) {
  const [rows, setRows] = useState<T[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // A page that arrives after the list was reset (filter changed) belongs to the old list.
  const generation = useRef(0);
  // The language only words failures: switching it must not reset the pages already loaded.
  const langRef = useRef(lang);
  langRef.current = lang;

  const fetchPage = useCallback(
    async (cursor: string | null, reset: boolean) => {
      const mine = reset ? ++generation.current : generation.current;
      setLoading(true);
      try {
        const page = await getPage<T>(withCursor(path, cursor));
        if (mine !== generation.current) return;
        setRows((shown) => (reset || !shown ? page.rows : appendPage(shown, page.rows)));
        setNextCursor(page.nextCursor);
        setFailure(null);
      } catch (error) {
        if (mine === generation.current)
          setFailure(error instanceof ApiFailure ? error.text[langRef.current] : String(error));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [path],
  );

  const reload = useCallback(() => void fetchPage(null, true), [fetchPage]);
  const loadMore = useCallback(() => {
    if (nextCursor) void fetchPage(nextCursor, false);
  }, [fetchPage, nextCursor]);
  useEffect(reload, [reload]);
  /** Drops a row decided on this page (it left the list) without re-reading the pages. */
  const remove = useCallback((id: string) => setRows((shown) => shown?.filter((row) => row.id !== id) ?? null), []);
  return { rows, hasMore: nextCursor !== null, loading, failure, setFailure, reload, loadMore, remove };
}
