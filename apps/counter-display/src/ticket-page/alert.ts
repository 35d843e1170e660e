/**
 * The buzz and beep when the citizen is called. Browsers allow both only after the person has
 * touched the page once (user activation), so the page offers a button that unlocks them; without
 * it the calls below are harmless no-ops.
 */
let audio: AudioContext | null = null;

function context(): AudioContext | null {
  if (audio) return audio;
  const Ctor = window.AudioContext as typeof AudioContext | undefined;
  if (!Ctor) return null;
  try {
    audio = new Ctor();
  } catch {
    audio = null;
  }
  return audio;
}

function beep(times: number): void {
  const ctx = context();
  if (!ctx) return;
  if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  const t0 = ctx.currentTime + 0.05;
  for (let i = 0; i < times; i++) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = 880;
    const at = t0 + i * 0.4;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + 0.3);
  }
}

function vibrate(pattern: number[]): void {
  if (typeof navigator.vibrate !== 'function') return;
  try {
    navigator.vibrate(pattern);
  } catch {
    /* not allowed yet: no buzz */
  }
}

/** Called from the citizen's tap: unlocks sound, and a short buzz + beep shows it works. */
export function enableAlerts(): void {
  beep(1);
  vibrate([120]);
}

export function alertsSupported(): boolean {
  return typeof navigator.vibrate === 'function' || 'AudioContext' in window;
}

/** "Your turn": a long buzz pattern and three beeps. */
export function alertCalled(): void {
  vibrate([400, 150, 400, 150, 600]);
  beep(3);
}
