import type { Device, LoginResult, Snapshot } from '@luot/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, toApiError } from '../lib/api.js';
import { takeFragmentParams } from '../lib/storage.js';
import type { StateCause } from '../lib/use-queue.js';
import { useQueue } from '../lib/use-queue.js';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';
import { LoginForm } from '../ui/login-form.js';
import { StatusBanner } from '../ui/status-banner.js';
import { Face } from './faces.js';
import './rating.css';

/** A rating tablet is a display device; its token is kept under its own key. */
const TOKEN_KEY = 'luot.rating.token';
const COUNTER_KEY = 'luot.rating.counter';
/** Back to idle if nobody taps. */
export const ASK_TIMEOUT_MS = 60_000;
/** How long the thanks stay on screen. */
export const THANKS_MS = 4_000;

export const CHOICES = [
  { score: 4, vi: 'Rất hài lòng', en: 'Very satisfied' },
  { score: 3, vi: 'Hài lòng', en: 'Satisfied' },
  { score: 2, vi: 'Bình thường', en: 'Neutral' },
  { score: 1, vi: 'Không hài lòng', en: 'Dissatisfied' },
] as const;

type Phase = { kind: 'idle' } | { kind: 'ask'; ticketId: string; number: string } | { kind: 'sending'; ticketId: string; number: string } | { kind: 'thanks' } | { kind: 'error'; error: ApiError };

function readSetup(): { token: string | null; counter: number | null } {
  const token = takeFragmentParams().get('token');
  if (token) localStorage.setItem(TOKEN_KEY, token);
  const fromUrl = Number(new URLSearchParams(location.search).get('counter'));
  if (Number.isInteger(fromUrl) && fromUrl > 0) localStorage.setItem(COUNTER_KEY, String(fromUrl));
  const stored = Number(localStorage.getItem(COUNTER_KEY));
  return { token: localStorage.getItem(TOKEN_KEY), counter: Number.isInteger(stored) && stored > 0 ? stored : null };
}

/**
 * /rating?counter=N: a small tablet facing the citizen at counter N. When that counter finishes
 * a ticket, it asks for one tap; the rating is tied to the ticket (and so to the counter and the
 * officer) by the server.
 */
export function RatingApp() {
  const [setup] = useState(readSetup);
  const [token, setToken] = useState(setup.token);
  const [counter, setCounter] = useState(setup.counter);

  if (!token) {
    return (
      <RatingPairing
        onPaired={(t) => {
          localStorage.setItem(TOKEN_KEY, t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <RatingScreen
      token={token}
      counterNumber={counter}
      onPickCounter={(n) => {
        localStorage.setItem(COUNTER_KEY, String(n));
        history.replaceState(null, '', `/rating?counter=${n}`);
        setCounter(n);
      }}
      onUnauthorized={() => {
        localStorage.removeItem(TOKEN_KEY);
        setToken(null);
      }}
    />
  );
}

function RatingScreen({ token, counterNumber, onPickCounter, onUnauthorized }: { token: string; counterNumber: number | null; onPickCounter: (n: number) => void; onUnauthorized: () => void }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const onChange = useCallback(
    (state: Snapshot, cause: StateCause) => {
      if (cause.kind !== 'event' || cause.event.type !== 'ticket:updated') return;
      const { ticket } = cause.event.payload;
      const mine = state.counters.find((c) => c.number === counterNumber);
      if (!mine || ticket.status !== 'done' || ticket.counterId !== mine.id) return;
      setPhase({ kind: 'ask', ticketId: ticket.id, number: ticket.number });
    },
    [counterNumber],
  );
  const { state, status } = useQueue(token, onChange);
  useEffect(() => {
    if (status === 'unauthorized') onUnauthorized();
  }, [status, onUnauthorized]);

  // Each phase but idle goes back to idle on its own.
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  useEffect(() => {
    const ms = phase.kind === 'ask' ? ASK_TIMEOUT_MS : phase.kind === 'thanks' ? THANKS_MS : phase.kind === 'error' ? 6_000 : null;
    if (ms === null) return;
    const t = setTimeout(() => setPhase({ kind: 'idle' }), ms);
    return () => clearTimeout(t);
  }, [phase]);

  async function rate(score: number) {
    const p = phaseRef.current;
    if (p.kind !== 'ask') return; // a second tap while sending counts once
    setPhase({ kind: 'sending', ticketId: p.ticketId, number: p.number });
    try {
      await api('POST', '/ratings', { token, body: { ticketId: p.ticketId, score } });
      setPhase({ kind: 'thanks' });
    } catch (e) {
      const err = toApiError(e);
      if (err.status === 401) onUnauthorized();
      else setPhase({ kind: 'error', error: err });
    }
  }

  const counter = state?.counters.find((c) => c.number === counterNumber);
  if (state && (counterNumber === null || !counter)) {
    return (
      <main className="rating pick" data-testid="rating-pick">
        <h1>
          <Bi vi="Máy này đặt ở quầy nào?" en="Which counter is this tablet at?" />
        </h1>
        <div className="pick-grid">
          {state.counters
            .filter((c) => c.active !== false)
            .sort((a, b) => a.number - b.number)
            .map((c) => (
              <button key={c.id} type="button" onClick={() => onPickCounter(c.number)} data-counter={c.number}>
                {c.number}
              </button>
            ))}
        </div>
      </main>
    );
  }

  return (
    <main className={`rating ${phase.kind}`} data-testid="rating" data-phase={phase.kind} data-counter={counterNumber ?? ''} data-seq={state?.seq ?? ''}>
      <StatusBanner status={status} />
      <header className="rating-head">
        <span className="counter-label">
          <Bi vi="Quầy số" en="Counter" />
        </span>
        <span className="counter-no" data-testid="rating-counter">
          {counterNumber}
        </span>
      </header>
      {(phase.kind === 'ask' || phase.kind === 'sending') && (
        <section className="ask">
          <h1>
            <Bi vi={`Quý công dân (số ${phase.number}) có hài lòng với việc giải quyết hồ sơ?`} en="How satisfied are you with the service?" />
          </h1>
          <div className="choices">
            {CHOICES.map((c) => (
              <button key={c.score} type="button" className={`choice s${c.score}`} data-score={c.score} disabled={phase.kind === 'sending'} onClick={() => void rate(c.score)}>
                <Face score={c.score} />
                <Bi vi={c.vi} en={c.en} />
              </button>
            ))}
          </div>
        </section>
      )}
      {phase.kind === 'thanks' && (
        <section className="thanks" role="status" data-testid="rating-thanks">
          <Face score={4} />
          <h1>
            <Bi vi="Cảm ơn quý công dân!" en="Thank you!" />
          </h1>
        </section>
      )}
      {phase.kind === 'error' && (
        <section className="thanks">
          <ErrorMessage error={phase.error} />
        </section>
      )}
      {phase.kind === 'idle' && (
        <section className="idle" data-testid="rating-idle">
          <h1>
            <Bi vi="Xin kính chào quý công dân" en="Welcome" />
          </h1>
          {counter?.currentTicket ? (
            <p className="serving">
              <Bi vi={`Đang phục vụ số ${counter.currentTicket.number}`} en={`Now serving ${counter.currentTicket.number}`} />
            </p>
          ) : (
            <p className="muted">
              <Bi vi="Sau khi giải quyết hồ sơ, xin quý công dân đánh giá tại đây." en="After your service, please rate it here." />
            </p>
          )}
        </section>
      )}
    </main>
  );
}

/** First start without a token: an admin signs in once and the tablet registers as a display. */
function RatingPairing({ onPaired }: { onPaired: (token: string) => void }) {
  const counter = new URLSearchParams(location.search).get('counter') ?? localStorage.getItem(COUNTER_KEY) ?? '';
  async function pair(login: LoginResult) {
    if (login.user.role !== 'admin') {
      throw new ApiError(403, { code: 'FORBIDDEN', message: 'Only an administrator can pair this tablet.', messageVi: 'Chỉ quản trị viên mới ghép được máy đánh giá.' });
    }
    const device = await api<Device>('POST', '/devices', { token: login.token, body: { kind: 'display', name: `Máy đánh giá quầy ${counter || '?'}` } });
    onPaired(device.token);
  }
  return (
    <main className="page pairing">
      <LoginForm title={<Bi vi="Ghép máy đánh giá" en="Pair the rating tablet" />} onLogin={pair}>
        <p className="muted">
          Quản trị viên đăng nhập một lần để đăng ký máy này. Hoặc mở <code>/rating?counter=N#token=…</code>.
          <br />
          <span className="en">
            An administrator signs in once to register this tablet. Or open <code>/rating?counter=N#token=…</code>.
          </span>
        </p>
      </LoginForm>
    </main>
  );
}
