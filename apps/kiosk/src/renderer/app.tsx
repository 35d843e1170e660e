import type { Service, Snapshot } from '@luot/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KioskApi } from '../shared/kiosk-api.js';
import { createApiClient, randomKey } from './api.js';
import { privacyNotice, readScan, serverRefusalText, CHECK_IN_TEXT, type Bilingual, type CheckedInCitizen } from './check-in.js';
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
import type { ScanResult } from './scanner-input.js';
import { createAbandonedTaps } from './abandoned-taps.js';
import { alertText, electronPrinter, serverPrinter, shellOrServerPrinter, takeTicket, ticketUrl } from './take-ticket.js';
import { useScanner } from './use-scanner.js';

declare global {
  interface Window {
    /** Present only inside the Electron shell (src/preload/preload.cts). */
    kiosk?: KioskApi;
  }
}

type Screen =
  | { kind: 'home' }
  /** A citizen scanned their ID card: greeted by name until they tap a service (issue 16). */
  | { kind: 'checked-in'; citizen: CheckedInCitizen }
  | { kind: 'printing' }
  | { kind: 'ticket'; view: TicketView }
  | { kind: 'admin' }
  | { kind: 'pairing' };

/** What the kiosk says about the last scan (a bad card, the feature off, a scan mid-tap). */
type ScanNotice = { reason: string; message: Bilingual };

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
  const [scanNotice, setScanNotice] = useState<ScanNotice | null>(null);
  const busy = useRef(false);
  const homeAt = useRef(0);
  const tokenRef = useRef(token);
  tokenRef.current = token;

  const api = useMemo(() => createApiClient({ token: () => tokenRef.current, issueRetry: { deadlineMs: tuning.giveUpMs } }), [tuning]);
  // Taps given up on without an answer: the server is told once it answers again, so a ticket it
  // issued after all is cancelled rather than called for nobody (ADR 0002). Kept across reloads.
  const abandoned = useMemo(
    () =>
      createAbandonedTaps({
        storage: localStorage,
        abandon: (key) => api.abandonIssue(key),
        onSettled: (key, r) => console.warn(`abandoned tap ${key}: ${r.outcome}`),
      }),
    [api],
  );
  useEffect(() => {
    abandoned.start();
    const online = () => abandoned.nudge();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      abandoned.stop();
    };
  }, [abandoned]);
  const centerRef = useRef(snapshot?.center);
  centerRef.current = snapshot?.center;
  const printer = useMemo(() => (window.kiosk ? shellOrServerPrinter(electronPrinter(window.kiosk, location.origin, () => centerRef.current), serverPrinter(api)) : serverPrinter(api)), [api]);

  useEffect(() => {
    if (!token) return;
    return connectQueue({
      token,
      onState: setSnapshot,
      onStatus: (s) => {
        setStatus(s);
        // The server is reachable again: tell it about the taps given up on meanwhile.
        if (s === 'live') abandoned.nudge();
        if (s === 'unauthorized') {
          forgetToken(localStorage);
          setToken(null);
          setScreen({ kind: 'pairing' });
        }
      },
    });
  }, [token, abandoned]);

  // A scanner's keys arrive through a window listener, not React: it reads the latest state here.
  const latest = useRef({ screen, snapshot, status });
  latest.current = { screen, snapshot, status };

  /**
   * One scan of an ID card's QR (or something else held to the scanner). The kiosk only greets
   * and answers a bad scan at once; the server checks the card again and decides priority. A
   * scan while a number is being issued never touches that number: it is dropped, and the
   * citizen is asked to scan again. Stays attached while the feature is off, so a scanner's
   * typing is always caught (and answered "not used here") rather than reaching the page.
   */
  const onScan = useCallback((r: ScanResult) => {
    const { screen: sc, snapshot: snap, status: st } = latest.current;
    if (sc.kind === 'pairing' || sc.kind === 'admin') return;
    setLastTouch(Date.now());
    if (busy.current || sc.kind === 'printing') {
      setScanNotice({ reason: 'busy', message: CHECK_IN_TEXT.busy });
      return;
    }
    if (!snap || st !== 'live') return;
    const out = readScan(r, snap.center, snap.businessDay);
    if (out.kind === 'citizen') {
      // A card held to the scanner is a new citizen's doing: the ghost-tap guard after "Xong"
      // (a finger landing on a service) does not apply to their first tap.
      homeAt.current = 0;
      setScanNotice(null);
      setScreen({ kind: 'checked-in', citizen: out.citizen });
    } else {
      // A refused scan ends any greeting on screen: the next tap is a plain one, never someone else's priority.
      setScreen({ kind: 'home' });
      setScanNotice({ reason: out.reason, message: out.message });
    }
  }, []);
  useScanner(onScan, { enabled: token !== null });
  // The admin switched check-in off while a citizen was being greeted: the greeting goes, and
  // the next tap is a plain one (the server would refuse the card now anyway).
  const checkInOn = snapshot?.center?.checkIn?.enabled === true;
  useEffect(() => {
    if (!checkInOn && screen.kind === 'checked-in') setScreen({ kind: 'home' });
  }, [checkInOn, screen.kind]);

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
    else if (screen.kind === 'admin' || screen.kind === 'checked-in' || (screen.kind === 'home' && (priorityMode || lang !== 'vi' || scanNotice !== null))) ms = tuning.idleMs;
    if (ms === null) return;
    const t = setTimeout(() => {
      setPriorityMode(false);
      setLang('vi');
      // The greeting and any scan message go with the reset: the next citizen sees neither.
      setScanNotice(null);
      goHome(false);
    }, Math.max(0, lastTouch + ms - Date.now()));
    return () => clearTimeout(t);
  }, [screen, priorityMode, lang, lastTouch, tuning, goHome, scanNotice]);

  // While the printer is known broken, the Electron shell asks it every 10 s and clears the
  // staff alert by itself once paper is back. (Server printing clears on the next good print.)
  useEffect(() => {
    const kiosk = window.kiosk;
    if (!printerProblem || !kiosk) return;
    const t = setInterval(() => {
      void kiosk
        .printerStatus()
        .catch(() => null)
        .then((s) => {
          if (s?.ok) printerRecovered();
        });
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
    // The card scanned before this tap, taken now: a scan arriving while this number is issued
    // cannot change it (onScan drops it).
    const checkIn = screen.kind === 'checked-in' ? screen.citizen.checkIn : undefined;
    setScanNotice(null);
    setScreen({ kind: 'printing' });
    try {
      const r = await takeTicket({ api, printer, newKey: randomKey, log: (m) => console.warn(m), onGiveUp: (key) => abandoned.add(key) }, service, priorityMode, checkIn);
      setPriorityMode(false);
      // The server answered this tap: one given up on earlier can be settled now.
      if (r.kind !== 'refused' || !r.gaveUp) abandoned.nudge();
      if (r.kind === 'printed' || r.kind === 'shown' || r.kind === 'screen-only') {
        // Screen-only: no printer is configured (any more), so none is broken: a problem reported
        // for a printer since removed is cleared too.
        if (r.kind === 'shown') setPrinterProblem(r.printCode);
        else printerRecovered();
        setScreen({ kind: 'ticket', view: { kind: r.kind, ticket: r.ticket, service, qrUrl: ticketUrl(location.origin, r.ticket.id), ...(r.kind === 'shown' ? { printCode: r.printCode } : {}) } });
      } else if (r.kind === 'not-issued') {
        setPrinterProblem(r.printCode);
        setScreen({ kind: 'ticket', view: { kind: 'not-issued', service, printCode: r.printCode } });
      } else {
        if (r.code === 'SERVICE_CLOSED' || r.code === 'DAILY_LIMIT_REACHED') {
          const reason = r.code === 'DAILY_LIMIT_REACHED' ? 'limit' : 'hours';
          setOverrides((m) => new Map(m).set(service.id, { reason, until: Date.now() + CLOSED_OVERRIDE_MS }));
        }
        // Gave up without an answer: the kiosk makes sure no ticket is left for it (abandoned-taps.ts),
        // so "no number was issued" is the truth the citizen is told.
        const known = r.gaveUp
          ? STRINGS.noAnswerNotIssued
          : r.checkIn
          ? serverRefusalText(r.checkIn)
          : r.code === 'TOO_MANY_REQUESTS'
            ? STRINGS.tooMany
            : r.code === 'NETWORK' || r.code === 'TIMEOUT'
              ? STRINGS.genericError
              : null;
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
  else if (screen.kind === 'ticket')
    body = (
      <TicketScreen
        view={screen.view}
        returnMs={tuning.ticketMs}
        onDone={() => {
          setScanNotice(null);
          goHome();
        }}
      />
    );
  else if (status !== 'live' || !snapshot) body = <Connecting />;
  else {
    const checkIn = snapshot.center?.checkIn;
    const citizen = screen.kind === 'checked-in' ? screen.citizen : null;
    body = (
      <Home
        services={snapshot.services}
        closedReason={closedReason}
        priorityMode={priorityMode}
        busy={false}
        printerProblem={printerProblem !== null}
        onTap={(s) => void onTap(s)}
        onPriority={setPriorityMode}
        checkInNotice={checkIn?.enabled ? privacyNotice(checkIn) : undefined}
        {...(checkIn?.priorityAge !== undefined ? { priorityAge: checkIn.priorityAge } : {})}
        priorityAge={checkIn?.priorityAge}
        citizen={citizen ? { greeting: citizen.greeting, priorityByAge: citizen.priorityByAge, onCancel: () => goHome() } : undefined}
      />
    );
  }
  const showNotice = scanNotice !== null && screen.kind !== 'pairing' && screen.kind !== 'admin';

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
        {showNotice && (
          <div className="banner warn scan-notice" role="alert" data-testid="scan-notice" data-reason={scanNotice.reason}>
            <Bi {...scanNotice.message} />
          </div>
        )}
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
