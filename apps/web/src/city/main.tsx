import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { forgetToken, officerToken } from '../shared/api';
import { LoginForm } from '../shared/LoginForm';
import { Page } from '../shared/Page';
import { common } from '../shared/i18n';
import '../shared/styles.css';
import { Dashboard } from './Dashboard';
import { text } from './text';

function CityPage() {
  const [loggedIn, setLoggedIn] = useState(officerToken() !== null);
  const logout = () => {
    forgetToken();
    setLoggedIn(false);
  };
  return (
    <Page
      title={text.title}
      actions={(lang) =>
        loggedIn && (
          <button type="button" className="secondary" onClick={logout}>
            {common.logout[lang]}
          </button>
        )
      }
    >
      {(lang) =>
        loggedIn ? <Dashboard lang={lang} onLoggedOut={logout} /> : <LoginForm onLoggedIn={() => setLoggedIn(true)} />
      }
    </Page>
  );
}

createRoot(document.getElementById('root')!).render(<CityPage />);
