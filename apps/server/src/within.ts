/**
 * `work`'s result, or `otherwise` once `ms` have passed without one (the work itself goes on; its
 * timer never keeps the process up). For waits that must end: a stopping server waiting for its
 * prints, a report waiting for a print in flight, a read of a USB stick that may hang.
 */
export function within<T>(work: Promise<T>, ms: number, otherwise: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((r) => {
    timer = setTimeout(() => r(otherwise), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
