import { useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { forgetToken, getJson, sessionToken, setTokenKey } from '../shared/api';
import { LoginForm } from '../shared/LoginForm';
import { Page } from '../shared/Page';
import { common, useT } from '../shared/i18n';
import { vietnamToday } from '../shared/format';
import '../shared/styles.css';
import { Checkout } from './Checkout';
import { usePaymentFeed } from './feed';
import { Home } from './Home';
import { Live } from './Live';
import { Register, savedRegistration } from './Register';
import { Settings } from './Settings';
import { Statement } from './Statement';
import { text } from './text';
import type { Merchant, Statement as StatementData } from './types';

setTokenKey('cashless.merchantToken');
const MERCHANT_KEY = 'cashless.merchantId';

const views = ['home', 'checkout', 'live', 'statement', 'settings'] as const;
type View = (typeof views)[number];
const viewOf = (hash: string): View => views.find((v) => `#${v}` === hash) ?? 'home';

const loginText = {
  title: text.loginTitle,
  username: text.loginUser,
  password: { vi: 'Mật khẩu', en: 'Password' },
  submit: { vi: 'Đăng nhập', en: 'Log in' },
  failed: { vi: 'Sai số điện thoại hoặc mật khẩu', en: 'Wrong phone number or password' },
};

/** Signed out: log in, or register a new shop. */
function SignedOut({ onSignedIn }: { onSignedIn: (merchantId: string) => void }) {
  const { t } = useT();
  // A registration whose last steps failed is resumed, not started again.
  const [registering, setRegistering] = useState(location.hash === '#register' || savedRegistration() !== null);
  return (
    <div className="narrow stack">
      {registering ? (
        <Register onRegistered={onSignedIn} />
      ) : (
        <LoginForm
          usernameType="tel"
          text={loginText}
          onLoggedIn={(answer) => answer.merchantId && onSignedIn(answer.merchantId)}
        />
      )}
      <button type="button" className="secondary" onClick={() => setRegistering(!registering)}>
        {t(registering ? text.haveAccount : text.newShop)}
      </button>
    </div>
  );
}

function Shop({ merchantId, onSignOut }: { merchantId: string; onSignOut: () => void }) {
  const { t } = useT();
  const [view, setView] = useState<View>(viewOf(location.hash));
  const [merchant, setMerchant] = useState<Merchant | null>(null);
  const [soundOn, setSoundOn] = useState(false);
  const [today, setToday] = useState<StatementData | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const active = merchant?.status === 'active';
  const { payments, connected } = usePaymentFeed(active ? merchantId : null, soundOn);

  useEffect(() => {
    getJson<Merchant>(`/merchants/${merchantId}`).then(setMerchant, onSignOut);
  }, [merchantId, onSignOut]);

  // Today's total comes from the ledger, refreshed a moment after each payment (it lags the feed).
  const loadToday = useCallback(() => {
    getJson<StatementData>(`/merchants/${merchantId}/statement?date=${vietnamToday()}`).then(setToday, () => undefined);
    setRefreshKey((k) => k + 1);
  }, [merchantId]);
  useEffect(() => {
    if (!active) return;
    loadToday();
    if (payments.length === 0) return;
    const timer = setTimeout(loadToday, 1500);
    return () => clearTimeout(timer);
  }, [active, payments.length, loadToday]);

  const go = (next: View) => {
    history.replaceState(null, '', `#${next}`);
    setView(next);
  };
  if (!merchant) return <p>{t(common.loading)}</p>;
  return (
    <div className="narrow">
      <nav className="tabs" aria-label={t(text.title)}>
        {views.map((v) => (
          <button key={v} type="button" aria-current={v === view ? 'page' : undefined} onClick={() => go(v)}>
            {t(text[v])}
          </button>
        ))}
      </nav>
      {view === 'home' && <Home merchant={merchant} />}
      {view !== 'home' && view !== 'settings' && !active && <p className="notice">{t(text.notActive)}</p>}
      {view === 'checkout' && active && <Checkout payments={payments} />}
      {view === 'live' && active && (
        <Live
          payments={payments}
          connected={connected}
          today={today}
          soundOn={soundOn}
          onToggleSound={() => setSoundOn(!soundOn)}
        />
      )}
      {view === 'statement' && active && <Statement merchantId={merchantId} refreshKey={refreshKey} />}
      {view === 'settings' && <Settings merchantId={merchantId} />}
    </div>
  );
}

function MerchantApp() {
  const [merchantId, setMerchantId] = useState<string | null>(() =>
    sessionToken() ? sessionStorage.getItem(MERCHANT_KEY) : null,
  );
  const signIn = (id: string) => {
    // Signed in, the address no longer asks for the registration form (a later logout shows the login).
    if (location.hash === '#register') history.replaceState(null, '', '#home');
    sessionStorage.setItem(MERCHANT_KEY, id);
    setMerchantId(id);
  };
  const signOut = useCallback(() => {
    forgetToken();
    sessionStorage.removeItem(MERCHANT_KEY);
    setMerchantId(null);
  }, []);
  return (
    <Page
      title={text.title}
      actions={(lang) =>
        merchantId && (
          <button type="button" className="secondary" onClick={signOut}>
            {common.logout[lang]}
          </button>
        )
      }
    >
      {() => (merchantId ? <Shop merchantId={merchantId} onSignOut={signOut} /> : <SignedOut onSignedIn={signIn} />)}
    </Page>
  );
}

createRoot(document.getElementById('root')!).render(<MerchantApp />);
