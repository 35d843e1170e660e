import { useState } from 'react';
import { STRINGS } from '../i18n.js';
import { Bi } from '../components/bilingual.js';
import { ApiError, type ApiClient } from '../api.js';

/**
 * First start of a plain-Chromium kiosk without a token: an administrator signs in and the page
 * registers itself as a kiosk device. The admin's own token is used once and never stored.
 * (The other way in is `/kiosk#token=...`, which needs no keyboard at all.)
 */
export function Pairing({ api, onPaired, onCancel }: { api: ApiClient; onPaired(token: string): void; onCancel?: () => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('Kiosk 1');
  const [error, setError] = useState<{ vi: string; en: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const login = await api.login(username, password);
      if (login.user.role !== 'admin') throw new ApiError(403, 'FORBIDDEN', 'Only an administrator can pair a kiosk.', 'Chỉ quản trị viên mới ghép nối được máy lấy số.');
      const device = await api.registerKiosk(login.token, name);
      onPaired(device.token);
    } catch (err) {
      setError(err instanceof ApiError ? { vi: err.messageVi, en: err.message } : { vi: 'Lỗi không xác định', en: String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="pairing" data-testid="pairing">
      <h1>
        <Bi {...STRINGS.pairTitle} />
      </h1>
      <p>
        <Bi {...STRINGS.pairHint} />
      </p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          <Bi {...STRINGS.username} />
          <input name="username" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} maxLength={64} />
        </label>
        <label>
          <Bi {...STRINGS.password} />
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={256} />
        </label>
        <label>
          <Bi {...STRINGS.kioskName} />
          <input name="kioskName" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="pairing-error">
            <Bi {...error} />
          </p>
        )}
        <div className="form-buttons">
          <button type="submit" disabled={busy} data-testid="pair">
            <Bi {...STRINGS.pairButton} />
          </button>
          {onCancel && (
            <button type="button" onClick={onCancel}>
              <Bi {...STRINGS.cancel} />
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
