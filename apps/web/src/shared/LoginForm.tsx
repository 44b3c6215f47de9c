import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiFailure, login } from './api';
import type { LoginAnswer } from './api';
import { useT } from './i18n';

const officerText = {
  title: { vi: 'Đăng nhập cán bộ', en: 'Officer login' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  submit: { vi: 'Đăng nhập', en: 'Log in' },
  failed: { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' },
};

export type LoginText = typeof officerText;

/**
 * The login every signed-in page starts with (POST /api/v1/auth/login): officers by default; the
 * shop owner's page passes its own wording (phone instead of username).
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

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await login(username, password));
    } catch (failure) {
      setError(failure instanceof ApiFailure && failure.status !== 401 ? failure.text[lang] : t(text.failed));
    } finally {
      setBusy(false);
    }
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
