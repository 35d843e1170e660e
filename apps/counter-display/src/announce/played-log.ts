/** One step of the TV's voice, for the e2e tests (window.__luotVoice). */
export interface VoiceLogEntry {
  /** TV clock, ms. */
  at: number;
  /**
   * heard: a call reached the TV; start/end: reading it (end detail: complete, cut, silent);
   * drop: not read, or not to its end; caption: what the caption shows; snapshot: a fresh state
   * taken (connect, reconnect, resync; detail: calls it lists); settings: the center's
   * announcement settings as now applied (detail: "lag=10000 repeat=false").
   */
  kind: 'heard' | 'start' | 'end' | 'drop' | 'caption' | 'snapshot' | 'settings';
  /** The ticket number and counter number; absent for a caption cleared (silent TV). */
  number?: string;
  counter?: number;
  recall?: boolean;
  /** drop: superseded (replaced while waiting), cut (stopped while read), late, overflow. start: times read. end: complete, cut, silent. */
  detail?: string | number;
}

declare global {
  interface Window {
    /**
     * Every clip the TV has started playing, in order ("chime", "intro", "mootj", ...), or
     * "speech:<text>" when the browser's voice spoke instead. Read by the e2e tests to check
     * what was said and in which order; bounded, so harmless on a TV that runs for months.
     */
    __luotAnnouncements?: string[];
    /** The voice's decisions (heard, start, end, drop, caption), in order; bounded likewise. */
    __luotVoice?: VoiceLogEntry[];
  }
}

const LOG_LIMIT = 500;

function push<T>(log: T[], item: T): void {
  log.push(item);
  if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
}

export function logPlayed(name: string): void {
  push((window.__luotAnnouncements ??= []), name);
}

export function logVoice(entry: VoiceLogEntry): void {
  push((window.__luotVoice ??= []), entry);
}
