import { useEffect, useMemo, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { ApiFailure, getJson, keepToken, login, sendJson } from '../shared/api';
import { FieldNote, describedBy } from '../shared/FieldNote';
import { useT } from '../shared/i18n';
import type { Localized } from '../shared/i18n';
import {
  SAVED_REGISTRATION_KEY,
  bankLabel,
  checkRegistration,
  checkResume,
  formField,
  parseSavedRegistration,
  registrationStep,
  searchBanks,
} from './logic';
import type { FieldErrors, RegistrationDraft, SavedRegistration } from './logic';
import { categories, text } from './text';
import type { Street } from './types';

const empty: RegistrationDraft = {
  shopName: '',
  ownerName: '',
  phone: '',
  taxId: '',
  category: '',
  streetId: '',
  houseNumber: '',
  bankBin: '',
  accountNumber: '',
  accountName: '',
  password: '',
};

/** A registration this tab made whose last steps are still to do (see SavedRegistration). */
export function savedRegistration(): SavedRegistration | null {
  try {
    return parseSavedRegistration(sessionStorage.getItem(SAVED_REGISTRATION_KEY));
  } catch {
    return null;
  }
}

function keepRegistration(saved: SavedRegistration | null): void {
  try {
    if (saved) sessionStorage.setItem(SAVED_REGISTRATION_KEY, JSON.stringify(saved));
    else sessionStorage.removeItem(SAVED_REGISTRATION_KEY);
  } catch {
    // storage refused (private mode): the state below still carries this page's retry
  }
}

/**
 * Registration: the form (with the bank picker and the API's own field errors shown inline), then
 * the web password set with the API key registration hands out once, then the login. Each step
 * done is remembered in the tab's session, so when a later step fails a retry (even after a
 * reload) goes on from there and the shop is never registered twice.
 */
export function Register({ onRegistered }: { onRegistered: (merchantId: string) => void }) {
  const { t, lang } = useT();
  const [draft, setDraft] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [streets, setStreets] = useState<Street[]>([]);
  const [bankQuery, setBankQuery] = useState('');
  const banks = useMemo(() => searchBanks(bankQuery), [bankQuery]);
  const [saved, setSaved] = useState<SavedRegistration | null>(savedRegistration);
  const step = registrationStep(saved);
  const remember = (next: SavedRegistration | null) => {
    keepRegistration(next);
    setSaved(next);
  };

  useEffect(() => {
    getJson<Street[]>('/streets').then(setStreets, () => setStreets([]));
  }, []);

  const set = (field: keyof RegistrationDraft) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const found = step === 'register' ? checkRegistration(draft) : checkResume(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    let progress = saved;
    try {
      if (!progress) {
        const { password: _password, bankBin, accountNumber, accountName, ...shop } = draft;
        const created = await sendJson<{ id: string; apiKey: string }>('POST', '/merchants', {
          ...shop,
          phone: shop.phone.replace(/[\s.-]/g, ''),
          payoutAccounts: [{ bankBin, accountNumber: accountNumber.replace(/\s/g, ''), accountName }],
        });
        progress = { id: created!.id, apiKey: created!.apiKey, shopName: draft.shopName.trim(), passwordSet: false };
        remember(progress);
      }
      if (!progress.passwordSet) {
        // The key is the proof of ownership that sets the web password.
        keepToken(progress.apiKey);
        await sendJson('POST', `/merchants/${progress.id}/password`, { password: draft.password });
        progress = { ...progress, passwordSet: true };
        remember(progress);
      }
      await login(progress.id, draft.password);
      remember(null);
      onRegistered(progress.id);
    } catch (error) {
      if (error instanceof ApiFailure && error.fields.length > 0) {
        const mapped: FieldErrors = {};
        for (const f of error.fields) {
          const field = formField(f.field);
          if (field) mapped[field] = f.message;
        }
        setErrors(mapped);
      }
      const reason = error instanceof ApiFailure ? error.text[lang] : String(error);
      setFailure(progress ? `${t(text.resumeFailed)} (${reason})` : reason);
    } finally {
      setBusy(false);
    }
  }

  function discard() {
    if (!window.confirm(t(text.resumeDiscardConfirm))) return;
    remember(null);
    setFailure(null);
    setDraft(empty);
  }

  const field = (
    name: keyof RegistrationDraft,
    label: Localized,
    input: (props: FieldProps) => ReactNode,
    hint?: Localized,
  ) => {
    const error = errors[name];
    const id = `reg-${name}`;
    // The error and hint sit outside the label: the field's name stays its label, they describe it.
    return (
      <div className="field">
        <label htmlFor={id}>{t(label)}</label>
        {input({
          id,
          name,
          value: draft[name],
          'aria-invalid': error ? true : undefined,
          'aria-describedby': describedBy(id, hint, error),
          onChange: (e) => set(name)(e.target.value),
        })}
        <FieldNote id={id} hint={hint} error={error} />
      </div>
    );
  };

  return (
    <form
      className="card stack"
      onSubmit={submit}
      noValidate
      aria-labelledby="register-title"
      data-testid="register-form"
    >
      <h2 id="register-title">{t(saved ? text.resumeTitle : text.registerTitle)}</h2>
      {saved ? (
        <div className="notice stack" data-testid="register-resume" data-step={step}>
          <p style={{ margin: 0 }}>
            {t(step === 'login' ? text.resumeLoginNotice : text.resumeNotice)
              .replace('{shop}', saved.shopName)
              .replace('{id}', saved.id)}
          </p>
          <p style={{ margin: 0 }}>{t(text.resumeKey)}</p>
          <code className="secret" data-testid="resume-api-key">
            {saved.apiKey}
          </code>
        </div>
      ) : (
        <p className="notice">{t(text.citySees)}</p>
      )}
      {!saved && (
        <>
          {field('shopName', text.shopName, (p) => (
            <input {...p} autoComplete="organization" />
          ))}
          {field('ownerName', text.ownerName, (p) => (
            <input {...p} autoComplete="name" />
          ))}
          {field(
            'phone',
            text.phone,
            (p) => (
              <input {...p} type="tel" inputMode="tel" autoComplete="tel" />
            ),
            text.phoneHint,
          )}
          {field(
            'taxId',
            text.taxId,
            (p) => (
              <input {...p} inputMode="numeric" />
            ),
            text.taxIdHint,
          )}
          {field('category', text.category, (p) => (
            <select {...p}>
              <option value="">{t(text.choose)}</option>
              {Object.entries(categories).map(([value, label]) => (
                <option key={value} value={value}>
                  {t(label)}
                </option>
              ))}
            </select>
          ))}
          {field('streetId', text.street, (p) => (
            <select {...p}>
              <option value="">{t(text.choose)}</option>
              {streets.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} — {s.ward.name}
                </option>
              ))}
            </select>
          ))}
          {field('houseNumber', text.houseNumber, (p) => (
            <input {...p} />
          ))}
          <fieldset className="stack">
            <legend>{t(text.payoutAccount)}</legend>
            <label htmlFor="reg-bank-search">
              {t(text.bankSearch)}
              <input
                id="reg-bank-search"
                type="search"
                value={bankQuery}
                placeholder="Vietcombank, VCB, 970436…"
                onChange={(e) => setBankQuery(e.target.value)}
              />
            </label>
            {field('bankBin', text.bank, (p) => (
              <select {...p} size={5} className="bank-list">
                {banks.map((b) => (
                  <option key={b.bin} value={b.bin}>
                    {bankLabel(b)}
                  </option>
                ))}
              </select>
            ))}
            {field('accountNumber', text.accountNumber, (p) => (
              <input {...p} inputMode="numeric" />
            ))}
            {field(
              'accountName',
              text.accountName,
              (p) => (
                <input {...p} />
              ),
              text.accountNameHint,
            )}
          </fieldset>
        </>
      )}
      {field(
        'password',
        text.newPassword,
        (p) => (
          <input {...p} type="password" autoComplete="new-password" />
        ),
        text.passwordHint,
      )}
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t(
          step === 'register' ? text.registerSubmit : step === 'password' ? text.resumeSubmit : text.resumeLoginSubmit,
        )}
      </button>
      {saved && (
        <button type="button" className="secondary" onClick={discard}>
          {t(text.resumeDiscard)}
        </button>
      )}
    </form>
  );
}

interface FieldProps {
  id: string;
  name: string;
  value: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  onChange: (event: { target: { value: string } }) => void;
}
