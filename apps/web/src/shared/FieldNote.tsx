import { useT } from './i18n';
import type { Localized } from './i18n';

/**
 * What is said under a form field: its error when it has one (announced, id `<id>-error`), else
 * its hint (id `<id>-hint`). Inputs point at it with `aria-describedby={describedBy(...)}`.
 */
export function FieldNote({ id, hint, error }: { id: string; hint?: Localized; error?: Localized }) {
  const { t } = useT();
  if (error) {
    return (
      <span id={`${id}-error`} className="field-error" role="alert">
        {t(error)}
      </span>
    );
  }
  return hint ? (
    <span id={`${id}-hint`} className="muted">
      {t(hint)}
    </span>
  ) : null;
}

/** The id of what FieldNote shows for a field, if anything. */
export function describedBy(id: string, hint?: Localized, error?: Localized): string | undefined {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}
