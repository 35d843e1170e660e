/**
 * For the fault tests only: `LUOT_TEST_CRASH_AT=<name>` makes the process kill itself with
 * SIGKILL when it reaches the named step, so a test can check that being killed at exactly that
 * point (a power cut, the OOM killer, a user's Ctrl+C twice) leaves the data whole. SIGKILL, not
 * exit(): no finally blocks, no exit handlers, no flushing, as in a real crash. Unset in
 * production: a string comparison and nothing else.
 */
export function crashPoint(name: string): void {
  if (process.env.LUOT_TEST_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
