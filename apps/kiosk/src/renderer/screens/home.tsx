import type { Service } from '@luot/protocol';
import { useRef } from 'react';
import type { Bilingual } from '../check-in.js';
import { STRINGS } from '../i18n.js';
import { Bi } from '../components/bilingual.js';
import { ServiceIcon } from '../components/icons.js';
import { ServiceButton, type ClosedReason } from '../components/service-button.js';
import { useFitDensity } from '../fit-density.js';

export interface HomeProps {
  services: Service[];
  closedReason(s: Service): ClosedReason;
  priorityMode: boolean;
  busy: boolean;
  printerProblem: boolean;
  onTap(s: Service): void;
  onPriority(on: boolean): void;
  /** The short privacy notice, when the center takes ID-card check-ins (docs/privacy.md). */
  checkInNotice?: Bilingual[] | undefined;
  /**
   * A citizen who just scanned their ID card: greeted by name on this screen (the kiosk's own,
   * never a public one) until they tap a service, cancel, or the kiosk goes back home by itself.
   */
  citizen?: { greeting: Bilingual; priorityByAge: boolean; onCancel(): void } | undefined;
  /** The center's priority age (snapshot.center.checkIn.priorityAge); 60, the Law on the Elderly's, when not given. */
  priorityAge?: number | undefined;
}

/** How styles.css lays the cards out: by up to 1, 3, 4, 6 or 8 (and more) services. */
function sizeClass(n: number): string {
  return n <= 1 ? '1' : n <= 3 ? '3' : n === 4 ? '4' : n <= 6 ? '6' : '8';
}

export function Home(p: HomeProps) {
  const priority = p.priorityMode || p.citizen?.priorityByAge === true;
  // However many services and however long their names: shrink to fit, else scroll; never overlap.
  const ref = useRef<HTMLElement>(null);
  useFitDensity(ref);
  return (
    <main ref={ref} className={`home ${priority ? 'priority-mode' : ''} ${p.citizen ? 'checked-in' : ''}`} data-testid={p.citizen ? 'checked-in' : 'home'}>
      {p.printerProblem && (
        <div className="banner warn" role="status" data-testid="printer-banner">
          <Bi {...STRINGS.printerBanner} />
        </div>
      )}
      {p.citizen ? (
        <div className="greeting">
          <h2 className="greeting-name" data-testid="greeting">
            <Bi {...p.citizen.greeting} />
          </h2>
          {p.citizen.priorityByAge && (
            <div className="greeting-priority" data-testid="priority-by-age">
              <Bi {...STRINGS.priorityByAge} />
            </div>
          )}
          <h3 className="instruction">
            <Bi {...(p.priorityMode && !p.citizen.priorityByAge ? STRINGS.priorityChoose : STRINGS.checkedInChoose)} />
          </h3>
        </div>
      ) : (
        <h2 className="instruction">
          <Bi {...(p.priorityMode ? STRINGS.priorityChoose : STRINGS.chooseService)} />
        </h2>
      )}
      <div className="services" data-count={p.services.length} data-size={sizeClass(p.services.length)}>
        {p.services.map((s) => (
          <ServiceButton key={s.id} service={s} closed={p.closedReason(s)} priority={priority} disabled={p.busy} onTap={p.onTap} />
        ))}
      </div>
      {p.citizen?.priorityByAge ? null : p.priorityMode ? (
        <button type="button" className="priority-back" data-testid="priority-cancel" onPointerDown={() => p.onPriority(false)}>
          <Bi {...STRINGS.priorityCancel} />
        </button>
      ) : (
        <button type="button" className="priority-button" data-testid="priority" onPointerDown={() => p.onPriority(true)}>
          <ServiceIcon code="priority" size={88} />
          <span className="priority-text">
            <Bi {...STRINGS.priorityButton} className="priority-title" />
            <Bi vi={STRINGS.priorityWho.vi(p.priorityAge ?? 60)} en={STRINGS.priorityWho.en(p.priorityAge ?? 60)} className="priority-who" />
          </span>
        </button>
      )}
      {p.citizen && (
        <button type="button" className="priority-back check-in-cancel" data-testid="check-in-cancel" onPointerDown={p.citizen.onCancel}>
          <Bi {...STRINGS.checkInCancel} />
        </button>
      )}
      {!p.citizen && p.checkInNotice && (
        <footer className="check-in-notice" data-testid="check-in-notice">
          {p.checkInNotice.map((line, i) => (
            <Bi key={i} {...line} />
          ))}
        </footer>
      )}
    </main>
  );
}
