import { useCallback, useEffect, useState } from 'react';
import { ApiFailure } from '../shared/api';
import type { Lang } from '../shared/i18n';

/** Loads something once and on `reload()`, keeping the last failure as a sentence in the page's language. */
export function useLoad<T>(load: () => Promise<T>, lang: Lang) {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const reload = useCallback(() => {
    load().then(
      (value) => {
        setData(value);
        setFailure(null);
      },
      (error) => setFailure(error instanceof ApiFailure ? error.text[lang] : String(error)),
    );
  }, [load, lang]);
  useEffect(reload, [reload]);
  return { data, failure, reload, setFailure };
}
