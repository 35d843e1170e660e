import type { Service, Snapshot } from '@luot/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KioskApi } from '../shared/kiosk-api.js';
import { createApiClient, randomKey } from './api.js';
import { Bi, LangContext } from './components/bilingual.js';
import type { ClosedReason } from './components/service-button.js';
import { formatClock, STRINGS, type Lang } from './i18n.js';
import { forgetToken, readTuning, saveToken, takeTokenFromLocation } from './pairing.js';
import { connectQueue, type ConnectionStatus } from './queue-connection.js';
import { Admin } from './screens/admin.js';
import { Connecting, Printing } from './screens/connecting.js';
import { Home } from './screens/home.js';
import { Pairing } from './screens/pairing.js';
import { TicketScreen, type TicketView } from './screens/ticket-screen.js';
import { alertText, electronPrinter, serverPrinter, takeTicket, ticketUrl } from './take-ticket.js';

declare global {
  interface Window {
    /** Present only inside the Electron shell (src/preload/preload.cts). */
    kiosk?: KioskApi;
  }
}

type Screen = { kind: 'home' } | { kind: 'printing' } | { kind: 'ticket'; view: TicketView } | { kind: 'admin' } | { kind: 'pairing' };

/** Taps this soon after going home are ignored: the finger that pressed "Xong" must not land on a service. */
const GHOST_TAP_MS = 700;
/** How long 409 answers override the live `open` flag (the next snapshot may not know yet). */
const CLOSED_OVERRIDE_MS = 5 * 60_000;
const LONG_PRESS_MS = 3000;

export function App() {
  const tuning = useMemo(() => readTuning(location.search), []);
  const [token, setToken] = useState<string | null>(() => takeTokenFromLocation(location, localStorage, history));
  const [lang, setLang] = useState<Lang>('vi');
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [screen, setScreen] = useState<Screen>(token ? { kind: 'home' } : { kind: 'pairing' });
  const [priorityMode, setPriorityMode] = useState(false);
  const [printerProblem, setPrinterProblem] = useState<string | null>(null);
  const [overrides, setOverrides] = useState<Map<number, { reason: Exclude<ClosedReason, null>; until: number }>>(new Map());
  const [lastTouch, setLastTouch] = useState(() => Date.now());
  const busy = useRef(false);
  const homeAt = useRef(0);
  const tokenRef = useRef(token);
  tokenRef.current = token;

  const api = useMemo(() => createApiClient({ token: () => tokenRef.current }), []);
  const centerRef = useRef(snapshot?.center);
  centerRef.current = snapshot?.center;
  const printer = useMemo(() => (window.kiosk ? electronPrinter(window.kiosk, location.origin, () => centerRef.current) : serverPrinter(api)), [api]);

  useEffect(() => {
    if (!token) return;
    return connectQueue({
      token,
      onState: setSnapshot,
      onStatus: (s) => {
        setStatus(s);
        if (s === 'unauthorized') {
          forgetToken(localStorage);
          setToken(null);
          setScreen({ kind: 'pairing' });
        }
      },
    });
  }, [token]);

  /** `byTap`: a finger pressed "Xong"; only then guard against its ghost tap landing on a service. */
  const goHome = useCallback((byTap = true) => {
    if (byTap) homeAt.current = Date.now();
    setScreen({ kind: 'home' });
  }, []);

  // Idle return: the ticket screen after `ticketMs`; priority mode, English or the admin screen
  // after `idleMs` without a touch, so the next citizen always finds the Vietnamese start screen.
  useEffect(() => {
    const touched = () => setLastTouch(Date.now());
    window.addEventListener('pointerdown', touched, { capture: true });
    return () => window.removeEventListener('pointerdown', touched, { capture: true });
  }, []);
  useEffect(() => {
    let ms: number | null = null;
    if (screen.kind === 'ticket') ms = tuning.ticketMs;
    else if (screen.kind === 'admin' || (screen.kind === 'home' && (priorityMode || lang !== 'vi'))) ms = tuning.idleMs;
    if (ms === null) return;
    const t = setTimeout(() => {
      setPriorityMode(false);
      setLang('vi');
      goHome(false);
    }, Math.max(0, lastTouch + ms - Date.now()));
    return () => clearTimeout(t);
  }, [screen, priorityMode, lang, lastTouch, tuning, goHome]);

  // While the printer is known broken, the Electron shell asks it every 10 s and clears the
  // staff alert by itself once paper is back. (Server printing clears on the next good print.)
  useEffect(() => {
    const kiosk = window.kiosk;
    if (!printerProblem || !kiosk) return;
    const t = setInterval(async () => {
      const s = await kiosk.printerStatus().catch(() => null);
      if (s?.ok) printerRecovered();
    }, 10_000);
    return () => clearInterval(t);
  });

  function printerRecovered() {
    setPrinterProblem((code) => {
      if (code) {
        const text = alertText(code);
        void api.alert({ code: `printer_${code}`, message: text.en, messageVi: text.vi, active: false }).catch(() => {});
      }
      return null;
    });
  }

  const closedReason = useCallback(
    (s: Service): ClosedReason => {
      const o = overrides.get(s.id);
      if (o && o.until > Date.now()) return o.reason;
      return s.open ? null : 'hours';
    },
    [overrides],
  );

  async function onTap(service: Service) {
    // One tap, one ticket: the ref flips synchronously, before React re-renders, so a double tap
    // (or two fingers) in the same frame cannot start a second request.
    if (busy.current || Date.now() - homeAt.current < GHOST_TAP_MS) return;
    busy.current = true;
    setScreen({ kind: 'printing' });
    try {
      const r = await takeTicket({ api, printer, newKey: randomKey, log: (m) => console.warn(m) }, service, priorityMode);
      setPriorityMode(false);
      if (r.kind === 'printed' || r.kind === 'shown') {
        if (r.kind === 'printed') printerRecovered();
        else setPrinterProblem(r.printCode);
        setScreen({ kind: 'ticket', view: { kind: r.kind, ticket: r.ticket, service, qrUrl: ticketUrl(location.origin, r.ticket.id), ...(r.kind === 'shown' ? { printCode: r.printCode } : {}) } });
      } else if (r.kind === 'not-issued') {
        setPrinterProblem(r.printCode);
        setScreen({ kind: 'ticket', view: { kind: 'not-issued', service, printCode: r.printCode } });
      } else {
        if (r.code === 'SERVICE_CLOSED' || r.code === 'DAILY_LIMIT_REACHED') {
          const reason = r.code === 'DAILY_LIMIT_REACHED' ? 'limit' : 'hours';
          setOverrides((m) => new Map(m).set(service.id, { reason, until: Date.now() + CLOSED_OVERRIDE_MS }));
        }
        const known = r.code === 'TOO_MANY_REQUESTS' ? STRINGS.tooMany : r.code === 'NETWORK' || r.code === 'TIMEOUT' ? STRINGS.genericError : null;
        setScreen({ kind: 'ticket', view: { kind: 'refused', service, message: known?.en ?? r.message, messageVi: known?.vi ?? r.messageVi } });
      }
    } catch (e) {
      console.error(e);
      setScreen({ kind: 'ticket', view: { kind: 'refused', service, message: STRINGS.genericError.en, messageVi: STRINGS.genericError.vi } });
    } finally {
      busy.current = false;
      setLastTouch(Date.now());
    }
  }

  // Hidden entrance for staff: hold the title for 3 s.
  const pressTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const startPress = () => {
    pressTimer.current = setTimeout(() => setScreen(window.kiosk ? { kind: 'admin' } : { kind: 'pairing' }), LONG_PRESS_MS);
  };
  const endPress = () => {
    if (pressTimer.current) clearTimeout(pressTimer.current);
  };

  let body;
  if (screen.kind === 'pairing') {
    body = (
      <Pairing
        api={api}
        onPaired={(t) => {
          saveToken(localStorage, t);
          setToken(t);
          goHome(false);
        }}
        {...(token ? { onCancel: () => goHome() } : {})}
      />
    );
  } else if (screen.kind === 'admin' && window.kiosk) body = <Admin kiosk={window.kiosk} onClose={() => goHome()} />;
  else if (screen.kind === 'printing') body = <Printing />;
  else if (screen.kind === 'ticket') body = <TicketScreen view={screen.view} returnMs={tuning.ticketMs} onDone={() => goHome()} />;
  else if (status !== 'live' || !snapshot) body = <Connecting />;
  else
    body = (
      <Home
        services={snapshot.services}
        closedReason={closedReason}
        priorityMode={priorityMode}
        busy={false}
        printerProblem={printerProblem !== null}
        onTap={(s) => void onTap(s)}
        onPriority={setPriorityMode}
      />
    );

  return (
    <LangContext.Provider value={lang}>
      <div className="kiosk" data-lang={lang} data-status={status}>
        <header className="top">
          <h1 className="title" onPointerDown={startPress} onPointerUp={endPress} onPointerLeave={endPress} data-testid="title">
            <Bi {...STRINGS.title} />
          </h1>
          <Clock lang={lang} timeZone={snapshot?.center?.timeZone} />
          <button type="button" className="lang" data-testid="lang" onPointerDown={() => setLang((l) => (l === 'vi' ? 'en' : 'vi'))}>
            {lang === 'vi' ? STRINGS.langToggle.vi : STRINGS.langToggle.en}
          </button>
        </header>
        {body}
      </div>
    </LangContext.Provider>
  );
}

/** The center's clock (its zone comes with the snapshot), not the kiosk PC's. */
function Clock({ lang, timeZone }: { lang: Lang; timeZone: string | undefined }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(t);
  }, []);
  return <div className="clock">{formatClock(now, lang, timeZone)}</div>;
}
