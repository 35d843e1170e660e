import { ROUTES, type LoginResult, type RatingForm, type RatingLevel, type RatingReason, type Snapshot } from '@luot/protocol';
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
import { cachedForm, rememberForm } from './rating-form.js';
import './rating.css';

/** A rating tablet is a display device; its token is kept under its own key. */
const TOKEN_KEY = 'luot.rating.token';
const COUNTER_KEY = 'luot.rating.counter';
/** Back to idle if nobody taps. */
export const ASK_TIMEOUT_MS = 60_000;
/** The reason is optional: after this the answer stands without one. */
export const REASON_TIMEOUT_MS = 30_000;
/** How long the thanks stay on screen. */
export const THANKS_MS = 4_000;

type Asked = { ticketId: string; number: string };
type Phase =
  | { kind: 'idle' }
  | ({ kind: 'ask' } & Asked)
  | ({ kind: 'sending'; level: RatingLevel } & Asked)
  | ({ kind: 'reason' } & Asked)
  | ({ kind: 'sending-reason'; reason: RatingReason } & Asked)
  | { kind: 'thanks' }
  | { kind: 'error'; error: ApiError };

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
 * a ticket, it asks about the service at the counter (Decision 766/QĐ-TTg: 3, 4 or 5 levels, as
 * the center set), one tap; after Không hài lòng or below, one more tap for the reason. The
 * rating is tied to the ticket (and so to the counter, the officer and the dossier code) by the
 * server.
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
  const [form, setForm] = useState<RatingForm>(cachedForm);
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

  // The center's scale, asked again for each citizen (the tablet shows the last known at once).
  const asking = phase.kind === 'ask' ? phase.ticketId : null;
  useEffect(() => {
    let live = true;
    api(ROUTES.ratingForm, { token })
      .then((f) => {
        if (!live) return;
        rememberForm(f);
        setForm(f);
      })
      .catch(() => {
        // Offline or an old server: the remembered scale stays.
      });
    return () => {
      live = false;
    };
  }, [token, asking]);

  // Each phase but idle goes back to idle (or on to the thanks) on its own.
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  useEffect(() => {
    const next: [number, Phase] | null =
      phase.kind === 'ask'
        ? [ASK_TIMEOUT_MS, { kind: 'idle' }]
        : phase.kind === 'reason'
          ? [REASON_TIMEOUT_MS, { kind: 'thanks' }]
          : phase.kind === 'thanks'
            ? [THANKS_MS, { kind: 'idle' }]
            : phase.kind === 'error'
              ? [6_000, { kind: 'idle' }]
              : null;
    if (!next) return;
    const t = setTimeout(() => setPhase(next[1]), next[0]);
    return () => clearTimeout(t);
  }, [phase]);

  function failed(e: unknown) {
    const err = toApiError(e);
    if (err.status === 401) onUnauthorized();
    else setPhase({ kind: 'error', error: err });
  }

  async function rate(level: RatingLevel) {
    const p = phaseRef.current;
    if (p.kind !== 'ask') return; // a second tap while sending counts once
    setPhase({ kind: 'sending', ticketId: p.ticketId, number: p.number, level });
    try {
      const r = await api(ROUTES.rateAnswer, { token, body: { ticketId: p.ticketId, scale: form.scale, level } });
      setPhase(r.asksReason ? { kind: 'reason', ticketId: p.ticketId, number: p.number } : { kind: 'thanks' });
    } catch (e) {
      failed(e);
    }
  }

  async function giveReason(reason: RatingReason | null) {
    const p = phaseRef.current;
    if (p.kind !== 'reason') return;
    if (reason === null) return setPhase({ kind: 'thanks' });
    setPhase({ kind: 'sending-reason', ticketId: p.ticketId, number: p.number, reason });
    try {
      await api(ROUTES.rateReason, { token, body: { ticketId: p.ticketId, reason } });
      setPhase({ kind: 'thanks' });
    } catch (e) {
      failed(e);
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
    <main className={`rating ${phase.kind}`} data-testid="rating" data-phase={phase.kind} data-scale={form.scale} data-counter={counterNumber ?? ''} data-seq={state?.seq ?? ''}>
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
            <Bi vi={`Quý công dân (số ${phase.number}) có hài lòng với sự phục vụ tại quầy không?`} en={`How satisfied are you (number ${phase.number}) with the service at this counter?`} />
          </h1>
          <div className="choices" style={{ gridTemplateColumns: `repeat(${form.levels.length}, 1fr)` }}>
            {form.levels.map((l) => (
              <button key={l.level} type="button" className={`choice ${l.level}`} data-level={l.level} disabled={phase.kind === 'sending'} onClick={() => void rate(l.level)}>
                <Face level={l.level} />
                <Bi vi={l.vi} en={l.en} />
              </button>
            ))}
          </div>
        </section>
      )}
      {(phase.kind === 'reason' || phase.kind === 'sending-reason') && (
        <section className="ask reason" data-testid="rating-reason">
          <h1>
            <Bi vi="Xin quý công dân cho biết lý do chưa hài lòng" en="What was the problem?" />
          </h1>
          <div className="reasons">
            {form.reasons.map((r) => (
              <button key={r.reason} type="button" className="reason-choice" data-reason={r.reason} disabled={phase.kind === 'sending-reason'} onClick={() => void giveReason(r.reason)}>
                <Bi vi={r.vi} en={r.en} />
              </button>
            ))}
          </div>
          <button type="button" className="skip" data-reason="" disabled={phase.kind === 'sending-reason'} onClick={() => void giveReason(null)}>
            <Bi vi="Bỏ qua" en="Skip" />
          </button>
        </section>
      )}
      {phase.kind === 'thanks' && (
        <section className="thanks" role="status" data-testid="rating-thanks">
          <Face level="very_satisfied" />
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
              <Bi vi="Sau khi được phục vụ, xin quý công dân đánh giá sự phục vụ tại quầy ở đây." en="After your service, please rate the service at this counter here." />
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
    const device = await api(ROUTES.createDevice, { token: login.token, body: { kind: 'display', name: `Máy đánh giá quầy ${counter || '?'}` } });
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
