import type { Snapshot } from '@luot/protocol';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Announcement } from '../announce/announcer.js';
import { Announcer, captionOf } from '../announce/announcer.js';
import { formatClock, serviceName } from '../lib/format.js';
import { load } from '../lib/storage.js';
import type { StateCause } from '../lib/use-queue.js';
import { useNow, useQueue } from '../lib/use-queue.js';
import { StatusBanner } from '../ui/status-banner.js';

/** How long a counter's tile flashes after a call. */
const FLASH_MS = 8000;
const LAST_CALLS_SHOWN = 6;
/** The counter number's size (em of the board) by columns of counters: as large as a card allows. */
const NUMBER_SIZE: Record<number, string> = { 2: '10em', 3: '6.5em', 4: '4.8em' };

/**
 * Hides the last-call rows that do not fit whole in the list's box (the list takes the room the
 * waiting list and the caption leave), so a smaller TV shows fewer rows instead of cut ones. The
 * newest row always shows. Rows stay in the DOM: only their display changes.
 */
function fitRows(list: HTMLElement | null): void {
  if (!list) return;
  const rows = Array.from(list.children) as HTMLElement[];
  for (const r of rows) r.hidden = false;
  const bottom = list.getBoundingClientRect().bottom + 0.5;
  rows.forEach((r, i) => {
    if (i > 0 && r.getBoundingClientRect().bottom > bottom) r.hidden = true;
  });
}

export const DEFAULT_TICKER =
  'Trung tâm Phục vụ hành chính công xã kính chào quý công dân. Vui lòng giữ phiếu số thứ tự và theo dõi màn hình. · Welcome: please keep your ticket and watch this screen.';

/**
 * The TV board, 1920x1080, read from ten metres: per counter the number it serves, the last
 * calls, the number waiting per service, and a ticker. Numbers only: nothing here names a person.
 */
export function DisplayBoard({ token, onUnauthorized }: { token: string; onUnauthorized: () => void }) {
  const announcer = useMemo(() => {
    const a = new Announcer();
    a.player.rate = load<number>('voiceRate') ?? 1;
    return a;
  }, []);
  const [soundBlocked, setSoundBlocked] = useState(() => announcer.soundBlocked);
  const [speaking, setSpeaking] = useState<Announcement | null>(null);
  const caption = speaking ? captionOf(speaking) : null;
  const [flashUntil, setFlashUntil] = useState<Record<number, number>>({});
  const now = useNow(500);

  useEffect(() => {
    announcer.onCaption = setSpeaking;
    const ctx = announcer.player.ctx;
    const update = () => setSoundBlocked(announcer.soundBlocked);
    ctx.addEventListener('statechange', update);
    update();
    return () => ctx.removeEventListener('statechange', update);
  }, [announcer]);

  const onChange = useCallback(
    (state: Snapshot, cause: StateCause) => {
      // The announcer decides what is new (live calls, and calls missed while disconnected that
      // it never heard) and what is read out; the board flashes every counter that called.
      const calls = announcer.onState(state, cause.kind === 'event' ? { kind: 'event', event: cause.event } : { kind: 'snapshot' });
      const t = Date.now();
      const recent = calls.filter((c) => t - c.heardAt < FLASH_MS);
      if (recent.length === 0) return;
      setFlashUntil((f) => {
        const next = { ...f };
        for (const c of recent) next[c.call.counter.id] = c.heardAt + FLASH_MS;
        return next;
      });
    },
    [announcer],
  );

  const { state, status } = useQueue(token, onChange);
  const callsList = useRef<HTMLOListElement>(null);
  // When what shares the screen with the last calls changes (the calls, the caption, the banner,
  // the services) and on a resize: not on every render, since the clock renders twice a second
  // and each fit measures every row (a forced layout on a cheap TV box).
  useLayoutEffect(() => fitRows(callsList.current), [state?.recentCalls, state?.services, state?.counters, caption?.vi, status]);
  useEffect(() => {
    const refit = () => fitRows(callsList.current);
    window.addEventListener('resize', refit);
    return () => window.removeEventListener('resize', refit);
  }, []);
  useEffect(() => {
    if (status === 'unauthorized') onUnauthorized();
  }, [status, onUnauthorized]);

  // A TV-specific line set in its URL wins; otherwise the center's line from the admin pages.
  const ticker = load<string>('ticker') ?? (state?.center?.tickerText || DEFAULT_TICKER);
  const counters = [...(state?.counters ?? [])].filter((c) => c.active !== false).sort((a, b) => a.number - b.number);
  const services = state?.services ?? [];
  const calls = (state?.recentCalls ?? []).slice(0, LAST_CALLS_SHOWN);
  const cols = counters.length <= 4 ? 2 : counters.length <= 9 ? 3 : 4;

  return (
    <main className="tv" data-testid="display" data-seq={state?.seq ?? ''} data-speaking={caption?.vi ?? ''}>
      <StatusBanner status={status} />
      <header className="tv-header">
        <div>
          <div className="tv-title">{(state?.center?.name ?? 'Trung tâm Phục vụ hành chính công').toUpperCase()}</div>
          <div className="tv-subtitle">Public Administration Service Center</div>
        </div>
        <div className="tv-clock">{formatClock(now, state?.center?.timeZone)}</div>
      </header>

      <section className="tv-main">
        <div className="tv-counters" style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, ['--tv-number' as string]: NUMBER_SIZE[cols] }}>
          {counters.map((c) => {
            const serving = c.currentTicket?.status === 'called' ? c.currentTicket : undefined;
            const flashing = (flashUntil[c.id] ?? 0) > now;
            return (
              <div key={c.id} className={`tv-counter ${c.state} ${flashing ? 'flash' : ''}`} data-counter={c.number} data-flashing={flashing || undefined}>
                <div className="tv-counter-name">
                  QUẦY {c.number} <span className="en">COUNTER {c.number}</span>
                </div>
                <div className={`tv-counter-number ${serving ? '' : 'empty'}`} data-testid={`serving-${c.number}`}>
                  {serving?.number ?? '—'}
                </div>
                <div className="tv-counter-state">
                  {c.state === 'paused' ? (
                    <span>
                      Tạm dừng · <span className="en">Paused</span>
                    </span>
                  ) : c.state === 'closed' ? (
                    <span>
                      Đóng · <span className="en">Closed</span>
                    </span>
                  ) : serving ? (
                    <>
                      <span lang="vi">{serviceName(services, serving.serviceId).vi}</span>
                      <span className="en" lang="en">
                        {serviceName(services, serving.serviceId).en}
                      </span>
                    </>
                  ) : (
                    ' '
                  )}
                </div>
              </div>
            );
          })}
        </div>

        <aside className="tv-side">
          <h2>
            SỐ VỪA GỌI <span className="en">LAST CALLS</span>
          </h2>
          <ol className="tv-calls" data-testid="last-calls" ref={callsList}>
            {calls.map((c, i) => (
              <li key={`${c.ticketId}-${c.calledAt}-${i}`} className={i === 0 ? 'latest' : ''} data-number={c.number}>
                <span className="num">{c.number}</span>
                <span className="arrow">→</span>
                <span className="ctr">
                  Quầy {c.counter.number}
                  {c.recall && <span className="recall"> ↻</span>}
                </span>
                <span className="en ctr-en" lang="en">
                  Counter {c.counter.number}
                </span>
              </li>
            ))}
            {calls.length === 0 && <li className="muted">Chưa gọi số nào · No calls yet</li>}
          </ol>
          <h2>
            ĐANG CHỜ <span className="en">WAITING</span>
          </h2>
          <ul className="tv-waiting">
            {services.map((s) => (
              <li key={s.id} data-service={s.code}>
                <span className="svc">
                  {s.name.vi} <span className="en">{s.name.en}</span>
                </span>
                <span className="count" data-testid={`tv-waiting-${s.code}`}>
                  {s.waiting}
                </span>
              </li>
            ))}
          </ul>
          {speaking && caption && (
            <div className="tv-caption" role="status" data-testid="caption" data-number={speaking.number} data-counter={speaking.counterNumber}>
              <span lang="vi">{caption.vi}</span>{' '}
              <span className="en" lang="en">
                {caption.en}
              </span>
            </div>
          )}
        </aside>
      </section>

      <footer className="tv-ticker" aria-label="Tin tức / News">
        <div className="tv-ticker-track" data-testid="ticker">
          <span>{ticker}</span>
          <span aria-hidden="true">{ticker}</span>
        </div>
      </footer>

      {soundBlocked && (
        <button type="button" className="tv-sound" data-testid="enable-sound" onClick={() => void announcer.enableSound().then(() => setSoundBlocked(announcer.soundBlocked))}>
          Bật âm thanh <span className="en">Enable sound</span>
        </button>
      )}
    </main>
  );
}
