import { ROUTES, type LoginResult } from '@luot/protocol';
import type { FormEvent, ReactNode } from 'react';
import { useState } from 'react';
import type { ApiError } from '../lib/api.js';
import { api, toApiError } from '../lib/api.js';
import { Bi } from './bi.js';
import { ErrorMessage } from './error-message.js';

/** Sign-in used by the counter page and by the display's pairing screen. */
export function LoginForm({ title, onLogin, children }: { title: ReactNode; onLogin: (r: LoginResult) => Promise<void> | void; children?: ReactNode }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api(ROUTES.login, { body: { username: username.trim(), password } });
      await onLogin(r);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card login" onSubmit={(e) => void submit(e)}>
      <h1>{title}</h1>
      {children}
      <label>
        <Bi vi="Tên đăng nhập" en="Username" />
        <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label>
        <Bi vi="Mật khẩu" en="Password" />
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        <Bi vi="Đăng nhập" en="Sign in" />
      </button>
    </form>
  );
}
