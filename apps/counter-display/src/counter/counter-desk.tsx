import { COUNTER_ACTIONS, ROUTES, type Counter, type LoginResult, type Service, type Snapshot, type Ticket } from '@luot/protocol';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../lib/api.js';
import { api, toApiError } from '../lib/api.js';
import { formatDuration, serviceName } from '../lib/format.js';
import type { StateCause } from '../lib/use-queue.js';
import { useNow } from '../lib/use-queue.js';
import { useStaffQueue } from '../lib/use-staff-queue.js';
import { DeviceAlertList } from '../ui/device-alerts.js';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';
import { StatusBanner } from '../ui/status-banner.js';
import { CitizenCard } from './citizen-card.js';
import type { ActionAnswer, ActionInput, ServerAction } from './desk-actions.js';
import { DeskActions, ShownTicket } from './desk-actions.js';
import { checkDossierCode, ScanCatcher } from './desk-dossier.js';
import { NoShowList } from './no-show-list.js';
import type { DeskAction } from './shortcuts.js';
import { SHORTCUTS, shortcutFor } from './shortcuts.js';

const LABELS: Record<DeskAction, { vi: string; en: string }> = {
  'call-next': { vi: 'Gọi tiếp', en: 'Call next' },
  // "Gọi nhắc lại": the same citizen's call read out again. Told apart from calling back a
  // no-show ("Gọi vào", in the list of recent no-shows), which calls a ticket to the counter anew.
  recall: { vi: 'Gọi nhắc lại', en: 'Recall' },
  complete: { vi: 'Hoàn thành', en: 'Done' },
  'no-show': { vi: 'Vắng mặt', en: 'No-show' },
  transfer: { vi: 'Chuyển', en: 'Transfer' },
  call: { vi: 'Gọi số', en: 'Call number' },
  pause: { vi: 'Tạm dừng', en: 'Pause' },
  close: { vi: 'Đóng quầy', en: 'Close counter' },
};

type Panel = 'transfer' | 'call' | null;
type Notice = { vi: string; en: string } | null;

/** Waiting tickets this counter serves, in the order the server calls them: priority, then age. */
function waitingFor(waiting: readonly Ticket[], counter: Counter | undefined): Ticket[] {
  if (!counter) return [];
  const mine = new Set(counter.serviceIds);
  return waiting
    .filter((t) => mine.has(t.serviceId))
    .sort((a, b) => Number(b.priority) - Number(a.priority) || a.issuedAt.localeCompare(b.issuedAt));
}

/** The queue hook's "fetch a fresh snapshot now", when it offers one (the shared client does). */
function resyncOf(hook: object): (() => void) | undefined {
  const r = (hook as { resync?: unknown }).resync;
  return typeof r === 'function' ? () => (r as () => void).call(hook) : undefined;
}

export function CounterDesk({ session, counterId, onLeave, onSignOut }: { session: LoginResult; counterId: number; onLeave: () => void; onSignOut: () => void }) {
  // Today's no-shows this counter may still call back, newest first, so the officer can call one
  // back when the citizen turns up: read from the server after every snapshot (a reload, a
  // reconnect, a new day), kept current by events in between (no-show-list.ts).
  const noShowList = useMemo(() => new NoShowList(), []);
  const [noShows, setNoShows] = useState<readonly Ticket[]>([]);
  // The citizen this counter just finished, until it calls the next: the dossier code can still
  // be attached to them (the officer often scans the receipt after pressing Hoàn thành).
  const [finished, setFinished] = useState<Ticket | null>(null);
  const trackNoShows = useCallback(
    (s: Snapshot, cause: StateCause) => {
      if (cause.kind === 'snapshot') {
        const read = noShowList.startRead();
        api(ROUTES.counterNoShows, { token: session.token, params: { id: counterId } }).then(
          (list) => {
            if (noShowList.answered(read, list)) setNoShows(noShowList.tickets);
          },
          // The list stays as events left it; the next snapshot (a reconnect) reads it again.
          () => undefined,
        );
        return;
      }
      const e = cause.event;
      const serves = s.counters.find((c) => c.id === counterId)?.serviceIds ?? [];
      if (e.type === 'ticket:updated' && e.payload.ticket.status === 'no_show') {
        // Only what this counter may call back: a ticket of a service it serves.
        if (serves.includes(e.payload.ticket.serviceId)) noShowList.add(e.payload.ticket);
      } else if (e.type === 'ticket:called' || e.type === 'ticket:updated') noShowList.remove(e.payload.ticket.id);
      setNoShows(noShowList.tickets);
      if (e.type === 'ticket:updated' && e.payload.ticket.status === 'done' && e.payload.ticket.counterId === counterId) setFinished(e.payload.ticket);
      else if (e.type === 'ticket:called' && e.payload.counter.id === counterId) setFinished(null);
    },
    [counterId, noShowList, session.token],
  );
  const queueHook = useStaffQueue(session.token, trackNoShows);
  const { state, status, alerts } = queueHook;
  const now = useNow(1000);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const [numberInput, setNumberInput] = useState('');

  const counter = state?.counters.find((c) => c.id === counterId);
  const services: Service[] = state?.services ?? [];
  const current = counter?.currentTicket?.status === 'called' ? counter.currentTicket : undefined;
  const queue = waitingFor(state?.waiting ?? [], counter);
  const paused = counter?.state === 'paused';

  // The ticket on screen, kept outside render state: an action reads it at the moment of the
  // press (see desk-actions.ts). Updated when the render showing it is committed.
  const shown = useMemo(() => new ShownTicket(), []);
  const shownId = current?.id ?? null;
  useLayoutEffect(() => shown.set(shownId), [shown, shownId]);

  // Re-take the counter after a reload: open is how an officer holds it, and it is harmless
  // when already held by the same officer. If another officer holds it, say so and go back.
  const reopened = useRef(false);
  useEffect(() => {
    if (reopened.current) return;
    reopened.current = true;
    api(ROUTES.openCounter, { token: session.token, params: { id: counterId } }).catch((e: unknown) => {
      const err = toApiError(e);
      if (err.status === 401) onSignOut();
      else if (err.code === 'COUNTER_TAKEN' || err.code === 'COUNTER_NOT_FOUND' || err.code === 'FORBIDDEN') onLeave();
      else setError(err);
    });
  }, [counterId, session.token, onLeave, onSignOut]);

  useEffect(() => {
    if (status === 'unauthorized') onSignOut();
  }, [status, onSignOut]);

  // Whatever the callbacks below need of the latest render, read when they run, not when made.
  const latest = useRef({ paused, confirmClose, onLeave, onSignOut, queueHook });
  latest.current = { paused, confirmClose, onLeave, onSignOut, queueHook };

  // One per desk: the in-flight guard lives in it, so every closure sees the same guard.
  const actions = useMemo(
    () =>
      new DeskActions({
        shown,
        onBusy: setBusy,
        send: (action, body) => api(COUNTER_ACTIONS[action], { token: session.token, params: { id: counterId }, ...(body ? { body } : {}) }),
      }),
    [shown, counterId, session.token],
  );

  /** Sends one action; null when it was refused (shown) or ignored because another is in flight. */
  const post = useCallback(
    async (action: ServerAction, input: ActionInput = {}): Promise<ActionAnswer | null> => {
      const r = await actions.perform(action, input, () => {
        setError(null);
        setNotice(null);
      });
      if (r.kind === 'done') return r.answer ?? {};
      if (r.kind === 'failed') {
        const err = toApiError(r.error);
        if (err.status === 401) latest.current.onSignOut();
        // The counter changed under this page (another tab, a retried request): the server's
        // words say so, and a fresh snapshot brings the screen to the truth without a reload.
        if (err.code === 'STALE_REQUEST') resyncOf(latest.current.queueHook)?.();
        setError(err);
      }
      return null;
    },
    [actions],
  );

  const run = useCallback(
    async (action: DeskAction) => {
      switch (action) {
        case 'transfer':
        case 'call':
          if (actions.busy) return;
          setPanel((p) => (p === action ? null : action));
          return;
        case 'pause': {
          await post(latest.current.paused ? 'open' : 'pause');
          return;
        }
        case 'close': {
          if (actions.busy) return;
          if (!latest.current.confirmClose) {
            setConfirmClose(true);
            setTimeout(() => setConfirmClose(false), 4000);
            return;
          }
          if (await post('close')) latest.current.onLeave();
          return;
        }
        case 'call-next': {
          const r = await post('call-next');
          if (r && r.ticket === null) setNotice({ vi: 'Không còn ai đang chờ.', en: 'No one is waiting.' });
          return;
        }
        case 'no-show': {
          const r = await post('no-show');
          if (r?.ticket) {
            noShowList.add(r.ticket);
            setNoShows(noShowList.tickets);
          }
          return;
        }
        default:
          await post(action);
      }
    },
    [actions, post, noShowList],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key === 'Escape') {
        setPanel(null);
        return;
      }
      const action = shortcutFor({ key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, repeat: e.repeat, targetTag: t?.tagName, targetEditable: t?.isContentEditable });
      if (!action) return;
      e.preventDefault();
      void run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  async function transferTo(serviceId: number) {
    if (await post('transfer', { serviceId })) setPanel(null);
  }
  async function callTicket(ticketId: string) {
    if (await post('call', { ticketId })) {
      setPanel(null);
      setNumberInput('');
    }
  }
  function callTyped() {
    const wanted = numberInput.trim().toUpperCase();
    const t = queue.find((x) => x.number.toUpperCase() === wanted);
    if (!t) {
      setNotice({ vi: `Số ${wanted} không có trong hàng chờ của quầy.`, en: `Number ${wanted} is not waiting for this counter.` });
      return;
    }
    void callTicket(t.id);
  }

  const needsTicket = !current;
  const disabled: Record<DeskAction, boolean> = {
    'call-next': busy || paused,
    recall: busy || needsTicket,
    complete: busy || needsTicket,
    'no-show': busy || needsTicket,
    transfer: busy || needsTicket,
    call: busy || paused,
    pause: busy,
    close: busy,
  };

  const button = (action: DeskAction, extraClass = '') => {
    const label = action === 'pause' && paused ? { vi: 'Tiếp tục', en: 'Resume' } : action === 'close' && confirmClose ? { vi: 'Nhấn lần nữa để đóng', en: 'Press again to close' } : LABELS[action];
    return (
      <button type="button" className={`action ${action} ${extraClass}`} data-action={action} disabled={disabled[action]} onClick={() => void run(action)} aria-keyshortcuts={SHORTCUTS[action]} aria-pressed={panel === action || undefined}>
        <Bi vi={label.vi} en={label.en} />
        <kbd>{SHORTCUTS[action]}</kbd>
      </button>
    );
  };

  return (
    <main className="page desk" data-counter={counter?.number} data-state={counter?.state} data-busy={busy}>
      <StatusBanner status={status} />
      <header className="bar">
        <span className="title">
          <strong>Quầy {counter?.number ?? '…'}</strong> <span className="en">Counter {counter?.number ?? '…'}</span>
          {counter && counter.name !== `Quầy ${counter.number}` && <span className="muted"> · {counter.name}</span>}
          {paused && <Bi vi="Đang tạm dừng" en="Paused" className="tag paused" />}
        </span>
        <span className="who">
          {session.user.username}
          <button type="button" onClick={onSignOut}>
            <Bi vi="Đăng xuất" en="Sign out" />
          </button>
        </span>
      </header>

      {alerts.length > 0 && (
        // A compact list that scrolls past two rows: however many devices report trouble, the
        // action buttons stay on screen (a 1280x800 counter PC).
        <section className="desk-alerts" data-testid="desk-alerts" data-count={alerts.length} aria-live="polite" aria-label="Cảnh báo thiết bị / Device alerts" tabIndex={alerts.length > 2 ? 0 : undefined}>
          <DeviceAlertList alerts={alerts} />
        </section>
      )}

      <section className="current" aria-live="polite">
        <div className="label">
          <Bi vi="Đang phục vụ" en="Now serving" />
        </div>
        {current ? (
          <>
            <div className="number" data-testid="current-number">
              {current.number}
            </div>
            <div className="meta">
              <Bi vi={serviceName(services, current.serviceId).vi} en={serviceName(services, current.serviceId).en} />
              {current.priority && <Bi vi="Ưu tiên" en="Priority" className="tag priority" />}
              <span className="timer">
                <Bi vi="Đã phục vụ" en="Served for" />
                <span data-testid="served-for">{formatDuration(now - Date.parse(current.calledAt ?? current.issuedAt))}</span>
              </span>
            </div>
          </>
        ) : (
          <div className="number empty" data-testid="current-number">
            —
          </div>
        )}
      </section>

      <CitizenCard token={session.token} counterId={counterId} ticketId={current?.id ?? null} onSignOut={onSignOut} />
      <DossierField token={session.token} ticket={current ?? finished} finished={!current && !!finished} onSignOut={onSignOut} />

      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      {notice && (
        <div className="notice" role="status" data-testid="notice">
          <strong>{notice.vi}</strong> <span className="en">{notice.en}</span>
        </div>
      )}

      <section className="actions">
        {button('call-next', 'primary')}
        {button('recall')}
        {button('complete', 'good')}
        {button('no-show', 'warn')}
        {button('transfer')}
        {button('call')}
        {button('pause')}
        {button('close', 'danger')}
      </section>

      {panel === 'transfer' && current && (
        <section className="panel" data-testid="transfer-panel">
          <h2>
            <Bi vi={`Chuyển số ${current.number} sang lĩnh vực`} en={`Transfer ${current.number} to service`} />
          </h2>
          <div className="choices">
            {services
              .filter((s) => s.id !== current.serviceId)
              .map((s) => (
                <button key={s.id} type="button" data-service={s.code} disabled={busy} onClick={() => void transferTo(s.id)}>
                  <Bi vi={s.name.vi} en={s.name.en} />
                </button>
              ))}
          </div>
        </section>
      )}
      {panel === 'call' && (
        <section className="panel" data-testid="call-panel">
          <h2>
            <Bi vi="Gọi một số đang chờ" en="Call a waiting number" />
          </h2>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              callTyped();
            }}
          >
            <input name="number" autoFocus placeholder="VD: 1005" value={numberInput} onChange={(e) => setNumberInput(e.target.value)} aria-label="Số thứ tự / Ticket number" />
            <button type="submit" disabled={busy || !numberInput.trim()}>
              <Bi vi="Gọi" en="Call" />
            </button>
          </form>
          <p className="muted">Hoặc chọn trong danh sách chờ bên dưới. / Or pick one in the waiting list below.</p>
        </section>
      )}

      <section className="lists">
        <div className="waiting-list">
          <h2>
            <Bi vi={`Danh sách chờ (${queue.length})`} en={`Waiting (${queue.length})`} />
          </h2>
          {queue.length === 0 ? (
            <p className="muted">Không có ai đang chờ. / No one is waiting.</p>
          ) : (
            <ol data-testid="waiting-list">
              {queue.slice(0, 50).map((t) => (
                <li key={t.id} data-number={t.number}>
                  <span className="num">{t.number}</span>
                  <Bi vi={serviceName(services, t.serviceId).vi} en={serviceName(services, t.serviceId).en} className="svc" />
                  {t.priority && <Bi vi="Ưu tiên" en="Priority" className="tag priority" />}
                  <span className="wait">{formatDuration(now - Date.parse(t.issuedAt))}</span>
                  <button type="button" disabled={busy || paused} onClick={() => void callTicket(t.id)} title="Gọi số này / Call this number">
                    <Bi vi="Gọi" en="Call" />
                  </button>
                </li>
              ))}
            </ol>
          )}
        </div>
        <div className="service-counts">
          {/* First in the column: an officer needs it when a citizen turns up late, without scrolling. */}
          {noShows.length > 0 && (
            <>
              <h2>
                <Bi vi="Vắng mặt gần đây" en="Recent no-shows" />
              </h2>
              <ul className="no-shows" data-testid="no-shows">
                {noShows.map((t) => (
                  <li key={t.id} data-number={t.number}>
                    <span className="num">{t.number}</span>
                    <button type="button" disabled={busy || paused} onClick={() => void callTicket(t.id)} title="Gọi số vắng mặt này vào quầy / Call this no-show back to the counter">
                      <Bi vi="Gọi vào" en="Call back" />
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>
            <Bi vi="Đang chờ theo lĩnh vực" en="Waiting per service" />
          </h2>
          <ul>
            {services.map((s) => (
              <li key={s.id} data-service={s.code} className={counter?.serviceIds.includes(s.id) ? 'mine' : ''}>
                <Bi vi={s.name.vi} en={s.name.en} />
                <span className="count" data-testid={`waiting-${s.code}`}>
                  {s.waiting}
                </span>
              </li>
            ))}
          </ul>
          <h2>
            <Bi vi="Phím tắt" en="Shortcuts" />
          </h2>
          <ul className="shortcuts">
            {(Object.keys(SHORTCUTS) as DeskAction[]).map((a) => (
              <li key={a}>
                <kbd>{SHORTCUTS[a]}</kbd> {LABELS[a].vi} <span className="en">{LABELS[a].en}</span>
              </li>
            ))}
            <li>
              <kbd>Esc</kbd> Đóng bảng <span className="en">Close panel</span>
            </li>
          </ul>
        </div>
      </section>
    </main>
  );
}

/**
 * The dossier code ("mã hồ sơ") of the citizen at the counter, or of the one just finished: typed
 * and saved with Enter, or scanned from the receipt's barcode (a scanner types the code and
 * Enter). A scan while the cursor is elsewhere is caught before the desk's one-letter shortcuts
 * see it (desk-dossier.ts ScanCatcher). Ratings, reports and exports carry the code; screens
 * never show it.
 */
function DossierField({ token, ticket, finished, onSignOut }: { token: string; ticket: Ticket | null; finished: boolean; onSignOut: () => void }) {
  const [input, setInput] = useState('');
  const [saved, setSaved] = useState<{ ticketId: string; code: string | null } | null>(null);
  const [message, setMessage] = useState<{ vi: string; en: string; bad: boolean } | null>(null);
  const [sending, setSending] = useState(false);
  const ticketId = ticket?.id ?? null;
  const latest = useRef({ ticketId, sending });
  latest.current = { ticketId, sending };

  // A new citizen: an empty field, and the code already attached (after a reload) from the server.
  useEffect(() => {
    setInput('');
    setMessage(null);
    setSaved(null);
    if (!ticketId) return;
    let live = true;
    api(ROUTES.dossierCode, { token, params: { id: ticketId } })
      .then((d) => live && setSaved({ ticketId: d.ticketId, code: d.dossierCode }))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [ticketId, token]);

  const save = useCallback(
    async (raw: string) => {
      const id = latest.current.ticketId;
      if (!id) {
        setMessage({ vi: 'Chưa có số nào để gắn mã hồ sơ.', en: 'No ticket to attach a dossier code to.', bad: true });
        return;
      }
      const c = checkDossierCode(raw);
      if (!c.ok) return setMessage({ vi: c.vi, en: c.en, bad: true });
      if (latest.current.sending) return;
      setSending(true);
      try {
        const d = await api(ROUTES.setDossierCode, { token, params: { id }, body: { dossierCode: c.code } });
        if (latest.current.ticketId !== d.ticketId) return;
        setSaved({ ticketId: d.ticketId, code: d.dossierCode });
        setInput('');
        setMessage(null);
      } catch (e) {
        const err = toApiError(e);
        if (err.status === 401) onSignOut();
        else setMessage({ vi: err.body.messageVi, en: err.body.message, bad: true });
      } finally {
        setSending(false);
      }
    },
    [token, onSignOut],
  );

  // A scan typed while the cursor is elsewhere: held from the shortcuts, saved as the code.
  useEffect(() => {
    const catcher = new ScanCatcher();
    const replayed = new WeakSet<Event>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveBack = (keys: string[]) => {
      for (const key of keys) {
        const ev = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
        replayed.add(ev);
        window.dispatchEvent(ev);
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (replayed.has(e)) return;
      const t = e.target as HTMLElement | null;
      const inField = !!t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName));
      // Space is a focused button's own key (and never in a dossier code): left alone.
      if (inField || e.ctrlKey || e.altKey || e.metaKey || e.repeat || e.isComposing || e.key === ' ') return;
      const r = catcher.key(e.key, e.timeStamp);
      giveBack(r.replay);
      if (r.swallow) {
        e.preventDefault();
        e.stopImmediatePropagation();
        clearTimeout(timer);
        timer = setTimeout(() => giveBack(catcher.tick(performance.now())), catcher.gapMs + 10);
      }
      if (r.scan) void save(r.scan);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKey, { capture: true });
    };
  }, [save]);

  const code = saved && saved.ticketId === ticketId ? saved.code : null;
  return (
    <form
      className="dossier"
      data-testid="dossier"
      data-ticket={ticket?.number ?? ''}
      data-code={code ?? ''}
      style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '0.75rem', margin: '0.75rem 0', padding: '0.75rem 1.25rem', background: 'var(--card)', borderRadius: 14 }}
      onSubmit={(e) => {
        e.preventDefault();
        void save(input);
      }}
    >
      <label htmlFor="dossier-code" style={{ display: 'flex', flexDirection: 'column' }}>
        <Bi vi={ticket ? `Mã hồ sơ của số ${ticket.number}${finished ? ' (vừa xong)' : ''}` : 'Mã hồ sơ'} en={ticket ? `Dossier code of ${ticket.number}${finished ? ' (just finished)' : ''}` : 'Dossier code'} />
      </label>
      <input
        id="dossier-code"
        name="dossierCode"
        value={input}
        onChange={(e) => setInput(e.target.value)}
        disabled={!ticket}
        autoComplete="off"
        spellCheck={false}
        placeholder="Gõ hoặc quét mã / Type or scan"
        style={{ fontSize: '1.2rem', minWidth: '16rem', flex: '1 1 16rem', padding: '0.4rem 0.6rem' }}
      />
      <button type="submit" disabled={!ticket || sending || !input.trim()}>
        <Bi vi="Lưu mã" en="Save" />
      </button>
      {code && (
        <span className="tag" data-testid="dossier-saved">
          ✓ <strong>{code}</strong>
        </span>
      )}
      {message && (
        <span role={message.bad ? 'alert' : 'status'} data-testid="dossier-message" style={{ flexBasis: '100%', color: message.bad ? '#8c1d18' : undefined }}>
          <strong>{message.vi}</strong> <span className="en">{message.en}</span>
        </span>
      )}
    </form>
  );
}
