import { ROUTES, type LoginResult } from '@luot/protocol';
import { useCallback, useState } from 'react';
import { api } from '../lib/api.js';
import { load, save } from '../lib/storage.js';
import { Bi } from '../ui/bi.js';
import { LoginForm } from '../ui/login-form.js';
import { CounterDesk } from './counter-desk.js';
import { CounterPicker } from './counter-picker.js';

/**
 * /counter: sign in, take a counter, work. The session and the chosen counter survive a reload
 * (localStorage), so a tablet that restarts comes back to the same desk.
 */
export function CounterApp() {
  const [session, setSession] = useState<LoginResult | null>(() => load<LoginResult>('officer'));
  const [counterId, setCounterId] = useState<number | null>(() => load<number>('counterId'));

  // Stable callbacks: children use them in effect dependencies.
  const signOut = useCallback(() => {
    // The token is ended on the server too (best effort: offline, or already ended, the tablet
    // still forgets it), so a copy of it is worth nothing after the officer signs out.
    const saved = load<LoginResult>('officer');
    if (saved) void api(ROUTES.logout, { token: saved.token }).catch(() => undefined);
    save('officer', null);
    save('counterId', null);
    setSession(null);
    setCounterId(null);
  }, []);
  const leaveCounter = useCallback(() => {
    save('counterId', null);
    setCounterId(null);
  }, []);

  if (!session) {
    return (
      <main className="page counter-login">
        <LoginForm
          title={<Bi vi="Quầy tiếp nhận — Đăng nhập" en="Counter — sign in" />}
          onLogin={(r) => {
            save('officer', r);
            setSession(r);
          }}
        />
      </main>
    );
  }
  if (counterId === null) {
    return (
      <CounterPicker
        session={session}
        onSignOut={signOut}
        onTaken={(id) => {
          save('counterId', id);
          setCounterId(id);
        }}
      />
    );
  }
  return <CounterDesk session={session} counterId={counterId} onLeave={leaveCounter} onSignOut={signOut} />;
}
