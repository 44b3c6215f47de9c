import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiFailure, login } from './api';
import type { LoginAnswer } from './api';
import { useT } from './i18n';
import { ambiguousShops } from './login';
import type { ShopChoice } from './login';

const officerText = {
  title: { vi: 'Đăng nhập cán bộ', en: 'Officer login' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  submit: { vi: 'Đăng nhập', en: 'Log in' },
  failed: { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' },
};

export type LoginText = typeof officerText;

const choiceText = {
  title: { vi: 'Bạn có nhiều cửa hàng', en: 'You have several shops' },
  intro: {
    vi: 'Số điện thoại và mật khẩu này dùng cho nhiều cửa hàng. Chọn cửa hàng muốn vào:',
    en: 'This phone number and password open several shops. Choose the one to open:',
  },
  open: { vi: 'Vào cửa hàng này', en: 'Open this shop' },
  back: { vi: 'Đăng nhập bằng tài khoản khác', en: 'Use another login' },
};

/**
 * The login every signed-in page starts with (POST /api/v1/auth/login): officers by default; the
 * shop owner's page passes its own wording (phone instead of username). When one phone and
 * password open several shops, the service answers 409 with those shops and the owner picks one,
 * which logs in again by that shop's id with the same password.
 */
export function LoginForm({
  onLoggedIn,
  text = officerText,
  usernameType = 'text',
}: {
  onLoggedIn: (answer: LoginAnswer) => void;
  text?: LoginText;
  usernameType?: 'text' | 'tel';
}) {
  const { t, lang } = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [shops, setShops] = useState<ShopChoice[]>([]);
  const [chosen, setChosen] = useState('');

  async function attempt(name: string) {
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await login(name, password));
    } catch (failure) {
      const choices = failure instanceof ApiFailure ? ambiguousShops(failure.code, failure.details) : [];
      if (choices.length > 0) {
        setShops(choices);
        setChosen(choices[0].id);
      } else {
        setError(failure instanceof ApiFailure && failure.status !== 401 ? failure.text[lang] : t(text.failed));
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void attempt(shops.length > 0 ? chosen : username);
  }

  function startOver() {
    setShops([]);
    setChosen('');
    setPassword('');
    setError(null);
  }

  if (shops.length > 0) {
    return (
      <form className="login card" onSubmit={submit} aria-labelledby="choose-shop-title" data-testid="choose-shop">
        <h2 id="choose-shop-title">{t(choiceText.title)}</h2>
        <fieldset className="stack">
          <legend>{t(choiceText.intro)}</legend>
          {shops.map((shop) => (
            <label key={shop.id} className="row choice">
              <input
                type="radio"
                name="shop"
                value={shop.id}
                checked={chosen === shop.id}
                onChange={() => setChosen(shop.id)}
              />
              {shop.shopName}
            </label>
          ))}
        </fieldset>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !chosen}>
          {t(choiceText.open)}
        </button>
        <button type="button" className="secondary" onClick={startOver}>
          {t(choiceText.back)}
        </button>
      </form>
    );
  }

  return (
    <form className="login card" onSubmit={submit} aria-labelledby="login-title">
      <h2 id="login-title">{t(text.title)}</h2>
      <label>
        {t(text.username)}
        <input
          name="username"
          type={usernameType}
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </label>
      <label>
        {t(text.password)}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t(text.submit)}
      </button>
    </form>
  );
}
