/**
 * The kiosk's device token. Given once in the URL fragment (`/kiosk#token=...`: a fragment is
 * never sent to the server or written to its logs), then kept in localStorage and removed from
 * the address bar so it does not linger on screen or in history.
 */
const KEY = 'luot.kiosk.token';

export function takeTokenFromLocation(loc: { hash: string; pathname: string; search: string }, storage: Storage, history?: History): string | null {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash && /^[A-Za-z0-9._~+/=-]{16,512}$/.test(fromHash)) {
    storage.setItem(KEY, fromHash);
    history?.replaceState(null, '', loc.pathname + loc.search);
    return fromHash;
  }
  return storage.getItem(KEY);
}

export function saveToken(storage: Storage, token: string): void {
  storage.setItem(KEY, token);
}

export function forgetToken(storage: Storage): void {
  storage.removeItem(KEY);
}

/** Test and demo knobs from the query string, bounded so a stray URL cannot break the kiosk. */
export function readTuning(search: string): { idleMs: number; ticketMs: number; giveUpMs: number } {
  const q = new URLSearchParams(search);
  const num = (k: string, def: number) => {
    const v = Number(q.get(k));
    return Number.isFinite(v) && v >= 500 && v <= 600_000 ? v : def;
  };
  // giveUpMs: how long a tap keeps retrying its issue request before telling the citizen no
  // number was issued (20 s; tests shorten it rather than wait).
  return { idleMs: num('idleMs', 45_000), ticketMs: num('ticketMs', 15_000), giveUpMs: num('giveUpMs', 20_000) };
}
