import type { Service } from '@luot/protocol';
import { STRINGS } from '../i18n.js';
import { Bi } from '../components/bilingual.js';
import { ServiceIcon } from '../components/icons.js';
import { ServiceButton, type ClosedReason } from '../components/service-button.js';

export interface HomeProps {
  services: Service[];
  closedReason(s: Service): ClosedReason;
  priorityMode: boolean;
  busy: boolean;
  printerProblem: boolean;
  onTap(s: Service): void;
  onPriority(on: boolean): void;
}

export function Home(p: HomeProps) {
  return (
    <main className={`home ${p.priorityMode ? 'priority-mode' : ''}`}>
      {p.printerProblem && (
        <div className="banner warn" role="status" data-testid="printer-banner">
          <Bi {...STRINGS.printerBanner} />
        </div>
      )}
      <h2 className="instruction">
        <Bi {...(p.priorityMode ? STRINGS.priorityChoose : STRINGS.chooseService)} />
      </h2>
      <div className="services" data-count={p.services.length}>
        {p.services.map((s) => (
          <ServiceButton key={s.id} service={s} closed={p.closedReason(s)} priority={p.priorityMode} disabled={p.busy} onTap={p.onTap} />
        ))}
      </div>
      {p.priorityMode ? (
        <button type="button" className="priority-back" data-testid="priority-cancel" onPointerDown={() => p.onPriority(false)}>
          <Bi {...STRINGS.priorityCancel} />
        </button>
      ) : (
        <button type="button" className="priority" data-testid="priority" onPointerDown={() => p.onPriority(true)}>
          <ServiceIcon code="priority" size={88} />
          <span className="priority-text">
            <Bi {...STRINGS.priorityButton} className="priority-title" />
            <Bi {...STRINGS.priorityWho} className="priority-who" />
          </span>
        </button>
      )}
    </main>
  );
}
