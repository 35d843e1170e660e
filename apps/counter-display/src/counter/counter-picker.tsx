import { ROUTES, type Counter, type LoginResult } from '@luot/protocol';
import { useEffect, useState } from 'react';
import type { ApiError } from '../lib/api.js';
import { api, toApiError } from '../lib/api.js';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';

const STATE_NAMES = {
  open: { vi: 'Đang mở', en: 'Open' },
  paused: { vi: 'Tạm dừng', en: 'Paused' },
  closed: { vi: 'Đóng', en: 'Closed' },
} as const;

/** Choose a counter and take it (POST /counters/:id/open); COUNTER_TAKEN is shown, not hidden. */
export function CounterPicker({ session, onTaken, onSignOut }: { session: LoginResult; onTaken: (id: number) => void; onSignOut: () => void }) {
  const [counters, setCounters] = useState<Counter[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api(ROUTES.counters, { token: session.token })
      .then(setCounters)
      .catch((e: unknown) => {
        const err = toApiError(e);
        if (err.status === 401) onSignOut();
        else setError(err);
      });
  }, [session.token, onSignOut]);

  async function take(c: Counter) {
    setBusy(true);
    setError(null);
    try {
      await api(ROUTES.openCounter, { token: session.token, params: { id: c.id } });
      onTaken(c.id);
    } catch (e) {
      const err = toApiError(e);
      if (err.status === 401) onSignOut();
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page picker">
      <header className="bar">
        <Bi vi="Chọn quầy làm việc" en="Choose your counter" className="title" />
        <span className="who">
          {session.user.username}
          <button type="button" onClick={onSignOut}>
            <Bi vi="Đăng xuất" en="Sign out" />
          </button>
        </span>
      </header>
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      {!counters && !error && <p className="muted">Đang tải… / Loading…</p>}
      <div className="counter-grid">
        {counters?.map((c) => {
          const heldBy = c.officer && c.officer.username !== session.user.username ? c.officer.username : null;
          return (
            <button key={c.id} type="button" className="counter-choice" data-counter={c.number} disabled={busy} onClick={() => void take(c)}>
              <Bi vi={`Quầy ${c.number}`} en={`Counter ${c.number}`} className="big" />
              {c.name !== `Quầy ${c.number}` && <span>{c.name}</span>}
              <Bi vi={STATE_NAMES[c.state].vi} en={STATE_NAMES[c.state].en} className={`state ${c.state}`} />
              {heldBy && <span className="held">Cán bộ / Officer: {heldBy}</span>}
            </button>
          );
        })}
      </div>
    </main>
  );
}
