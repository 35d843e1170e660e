import { Bi } from '../../ui/bi.js';

/**
 * A studio button: found by its action (data-action, as the e2e tests and the styles find it),
 * labelled Vietnamese first, and off while the studio (or the clip) is busy, so one press of
 * Install, Record or Import runs once. `disabled` adds the button's own reason to be off.
 */
export function ActionButton({
  action,
  busy,
  disabled = false,
  className,
  vi,
  en,
  onClick,
}: {
  action: string;
  busy: boolean;
  disabled?: boolean;
  className?: string;
  vi: string;
  en: string;
  /** A promise it returns is not awaited here: the caller's own busy state covers it. */
  onClick: () => unknown;
}) {
  return (
    <button type="button" className={className} data-action={action} disabled={busy || disabled} onClick={() => void onClick()}>
      <Bi vi={vi} en={en} />
    </button>
  );
}
