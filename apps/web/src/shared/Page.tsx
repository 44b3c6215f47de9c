import { useState } from 'react';
import type { ReactNode } from 'react';
import { LangContext, common, storeLang, storedLang } from './i18n';
import type { Lang, Localized } from './i18n';

/** Every page's frame: the programme's header with its title and the language switch. */
export function Page({
  title,
  actions,
  children,
}: {
  title: Localized;
  actions?: (lang: Lang) => ReactNode;
  children: (lang: Lang) => ReactNode;
}) {
  const [lang, setLang] = useState<Lang>(storedLang());
  const toggle = () => {
    const next = lang === 'vi' ? 'en' : 'vi';
    storeLang(next);
    setLang(next);
  };
  document.documentElement.lang = lang;
  return (
    <LangContext.Provider value={lang}>
      <header className="page-header">
        <div>
          <p className="programme">{common.programme[lang]}</p>
          <h1>{title[lang]}</h1>
        </div>
        <div className="header-actions">
          {actions?.(lang)}
          <button type="button" className="secondary" onClick={toggle} aria-label={common.switchLanguageLabel[lang]}>
            {common.switchLanguage[lang]}
          </button>
        </div>
      </header>
      <main>{children(lang)}</main>
    </LangContext.Provider>
  );
}
