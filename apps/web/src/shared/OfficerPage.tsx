import { useState } from 'react';
import type { ReactNode } from 'react';
import { forgetToken, officerToken } from './api';
import { common } from './i18n';
import type { Lang, Localized } from './i18n';
import { LoginForm } from './LoginForm';
import { Page } from './Page';

/**
 * A page for officers (the review screens, the city dashboard): the login form until an officer
 * token is held, then `children`, with a log-out button in the header. `logout` is also handed to
 * the content, which calls it when the API says the session has ended.
 */
export function OfficerPage({
  title,
  children,
}: {
  title: Localized;
  children: (lang: Lang, logout: () => void) => ReactNode;
}) {
  const [loggedIn, setLoggedIn] = useState(officerToken() !== null);
  const logout = () => {
    forgetToken();
    setLoggedIn(false);
  };
  return (
    <Page
      title={title}
      actions={(lang) =>
        loggedIn && (
          <button type="button" className="secondary" onClick={logout}>
            {common.logout[lang]}
          </button>
        )
      }
    >
      {(lang) => (loggedIn ? children(lang, logout) : <LoginForm onLoggedIn={() => setLoggedIn(true)} />)}
    </Page>
  );
}
