/**
 * Keyboard shortcuts on a counter PC: one letter each, named after the Vietnamese action so an
 * officer remembers them (T = gọi Tiếp, L = gọi Lại, ...). Letters rather than F-keys, because
 * F5 reloads and F1 opens help in browsers. Ignored while typing in a field or with a modifier
 * held, so Ctrl+L (the address bar) and typing a ticket number never trigger an action.
 */
export type DeskAction = 'call-next' | 'recall' | 'complete' | 'no-show' | 'transfer' | 'call' | 'pause' | 'close';

export const SHORTCUTS: Readonly<Record<DeskAction, string>> = {
  'call-next': 'T',
  recall: 'L',
  complete: 'H',
  'no-show': 'V',
  transfer: 'C',
  call: 'S',
  pause: 'D',
  close: 'Q',
};

const BY_KEY = new Map(Object.entries(SHORTCUTS).map(([action, key]) => [key.toLowerCase(), action as DeskAction]));

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  repeat: boolean;
  /** The tag name of the focused element: INPUT, SELECT, TEXTAREA are typing. */
  targetTag?: string;
  targetEditable?: boolean;
}

export function shortcutFor(e: KeyLike): DeskAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey || e.repeat) return null;
  if (e.targetEditable || (e.targetTag && ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.targetTag))) return null;
  return BY_KEY.get(e.key.toLowerCase()) ?? null;
}
