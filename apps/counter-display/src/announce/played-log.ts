declare global {
  interface Window {
    /**
     * Every clip the TV has started playing, in order ("chime", "intro", "mootj", ...), or
     * "speech:<text>" when the browser's voice spoke instead. Read by the e2e tests to check
     * what was said and in which order; bounded, so harmless on a TV that runs for months.
     */
    __luotAnnouncements?: string[];
  }
}

const LOG_LIMIT = 500;

export function logPlayed(name: string): void {
  const log = (window.__luotAnnouncements ??= []);
  log.push(name);
  if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
}
