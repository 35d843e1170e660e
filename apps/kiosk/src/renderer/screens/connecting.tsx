import { STRINGS } from '../i18n.js';
import { Bi } from '../components/bilingual.js';

export function Connecting() {
  return (
    <main className="connecting" data-testid="connecting" role="status" aria-live="polite">
      <div className="spinner" aria-hidden="true" />
      <h1>
        <Bi {...STRINGS.connecting} />
      </h1>
      <p>
        <Bi {...STRINGS.connectingHint} />
      </p>
    </main>
  );
}

export function Printing() {
  return (
    <main className="connecting printing" data-testid="printing" role="status" aria-live="polite">
      <div className="spinner" aria-hidden="true" />
      <h1>
        <Bi {...STRINGS.printing} />
      </h1>
    </main>
  );
}
