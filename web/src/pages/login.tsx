import { useState } from 'react';
import { api, ApiError, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { errorWords } from '../forms/form-values.ts';

export function LoginPage({ onLogin }: { onLogin: (u: User) => void }) {
  const { t, lang, setLang } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    // bench:first-map measures from here to the map's 'gengbao:polygons-drawn' mark.
    performance.mark('gengbao:login-submit');
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ user: User }>('/api/auth/login', { username, password });
      onLogin(r.user);
    } catch (err) {
      setError(loginError(err, t, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="login">
      <form onSubmit={submit} className="card">
        <h1>{t('appName')}</h1>
        <p className="muted">{t('tagline')}</p>
        <label>
          {t('username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('login')}
        </button>
        <button type="button" className="link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('language')}
        </button>
      </form>
    </div>
  );
}

/**
 * The login refusal in the page's language: a wrong password in plain words; otherwise the
 * server's words when it has them in this language (its messages are "中文 / English"), else a
 * plain sentence for the error's code.
 */
function loginError(err: unknown, t: (k: string) => string, lang: 'zh' | 'en'): string {
  if (!(err instanceof ApiError)) return t('loginFailed');
  if (err.code === 'unauthenticated') return t('loginWrong');
  const said = errorWords(err.code, err.message)[lang];
  if (said !== errorWords(err.code, '')[lang]) return said;
  return t(err.code === 'rate_limited' ? 'loginLocked' : 'loginFailed');
}
