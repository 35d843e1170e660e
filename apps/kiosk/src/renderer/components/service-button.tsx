import type { Service } from '@luot/protocol';
import { STRINGS } from '../i18n.js';
import { Bi } from './bilingual.js';
import { ServiceIcon } from './icons.js';

/** Names past this many characters are set smaller, so three or four lines still fit a card. */
const LONG_NAME = 24;
const isLongName = (s: Service) => Math.max(s.name.vi.length, s.name.en.length) > LONG_NAME;

export type ClosedReason = 'hours' | 'limit' | null;

/** One big button per service: icon, name in both languages, how many wait and for how long. */
export function ServiceButton(props: { service: Service; closed: ClosedReason; priority: boolean; disabled: boolean; onTap(s: Service): void }) {
  const { service: s, closed } = props;
  const stateClass = closed ? 'closed' : props.priority ? 'priority' : '';
  return (
    <button
      type="button"
      className={`service ${stateClass}`}
      data-service={s.code}
      aria-disabled={closed !== null || props.disabled}
      // pointerdown, not click: an elderly finger that slides a little still counts as a tap.
      onPointerDown={(e) => {
        e.preventDefault();
        if (closed === null && !props.disabled) props.onTap(s);
      }}
    >
      <ServiceIcon code={s.code} />
      <span className="service-text">
        <Bi vi={s.name.vi} en={s.name.en} className={`service-name ${isLongName(s) ? 'long' : ''}`} />
        {closed ? (
          <span className="service-closed" data-testid="closed-reason">
            <Bi {...(closed === 'limit' ? STRINGS.closedLimit : STRINGS.closedHours)} />
          </span>
        ) : (
          <span className="service-stats">
            <span className="stat" data-testid="waiting">
              <Bi vi={STRINGS.waiting.vi(s.waiting)} en={STRINGS.waiting.en(s.waiting)} />
            </span>
            <span className="stat" data-testid="estimate">
              <Bi vi={STRINGS.estimate.vi(s.estimatedWaitMinutes)} en={STRINGS.estimate.en(s.estimatedWaitMinutes)} />
            </span>
          </span>
        )}
      </span>
    </button>
  );
}
