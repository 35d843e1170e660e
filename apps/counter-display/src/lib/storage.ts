/**
 * What a device remembers across reloads and power cuts, in localStorage. Keys are namespaced so
 * the kiosk and other pages served from the same origin never clash.
 */
const KEYS = {
  officer: 'luot.counter.session',
  counterId: 'luot.counter.counterId',
  displayToken: 'luot.display.token',
  ticker: 'luot.display.ticker',
  voiceRate: 'luot.display.voiceRate',
} as const;

export type StorageKey = keyof typeof KEYS;

export function load<T>(key: StorageKey): T | null {
  try {
    const raw = localStorage.getItem(KEYS[key]);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

export function save(key: StorageKey, value: unknown): void {
  if (value === null || value === undefined) localStorage.removeItem(KEYS[key]);
  else localStorage.setItem(KEYS[key], JSON.stringify(value));
}

/**
 * Reads `key=value` pairs from the URL fragment (`/display#token=...&ticker=...`) and removes the
 * fragment from the address bar, so a token typed into a TV's URL does not stay on screen or in
 * the history.
 */
export function takeFragmentParams(): URLSearchParams {
  const hash = location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash);
  if (hash) history.replaceState(null, '', location.pathname + location.search);
  return params;
}
