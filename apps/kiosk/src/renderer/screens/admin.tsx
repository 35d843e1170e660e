import { useState } from 'react';
import type { KioskApi, PublicKioskConfig } from '../../shared/kiosk-api.js';
import { STRINGS } from '../i18n.js';
import { Bi } from '../components/bilingual.js';

/**
 * The Electron kiosk's admin screen, opened by holding the title for 3 seconds. The PIN is checked
 * by the main process on every action (the page only collects digits), so skipping this screen
 * gains nothing.
 */
export function Admin({ kiosk, onClose }: { kiosk: KioskApi; onClose(): void }) {
  const [pin, setPin] = useState('');
  const [config, setConfig] = useState<PublicKioskConfig | null>(null);
  const [message, setMessage] = useState<{ vi: string; en: string } | null>(null);

  async function unlock() {
    const r = await kiosk.admin({ action: 'unlock', pin });
    if (r.ok && r.config) {
      setConfig(r.config);
      setMessage(null);
    } else {
      setPin('');
      setMessage(!r.ok && r.code === 'locked' ? { ...STRINGS.pinLocked, en: `${STRINGS.pinLocked.en} (${r.message})` } : STRINGS.wrongPin);
    }
  }

  async function act(action: 'test-print' | 'reload' | 'quit') {
    const r = await kiosk.admin({ action, pin });
    setMessage(r.ok ? { vi: 'Đã thực hiện', en: r.message ?? 'Done' } : { vi: `Lỗi: ${r.message}`, en: `Failed: ${r.message}` });
  }

  if (!config) {
    const press = (d: string) => setPin((p) => (d === '⌫' ? p.slice(0, -1) : p.length < 12 ? p + d : p));
    return (
      <main className="admin" data-testid="admin-pin">
        <h1>
          <Bi {...STRINGS.enterPin} />
        </h1>
        <div className="pin-dots">{'•'.repeat(pin.length) || ' '}</div>
        <div className="pin-pad">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9', '⌫', '0', 'OK'].map((d) => (
            <button type="button" key={d} onPointerDown={() => (d === 'OK' ? void unlock() : press(d))}>
              {d}
            </button>
          ))}
        </div>
        {message && (
          <p className="form-error" role="alert">
            <Bi {...message} />
          </p>
        )}
        <button type="button" className="admin-close" onPointerDown={onClose}>
          <Bi {...STRINGS.close} />
        </button>
      </main>
    );
  }
  return (
    <main className="admin" data-testid="admin-panel">
      <h1>
        <Bi {...STRINGS.adminTitle} />
      </h1>
      <dl className="admin-config">
        <dt>Server</dt>
        <dd>{config.serverUrl}</dd>
        <dt>Printer</dt>
        <dd>{config.printer}</dd>
        <dt>Name</dt>
        <dd>{config.kioskName}</dd>
        <dt>Config file</dt>
        <dd>{config.configPath}</dd>
        <dt>Version</dt>
        <dd>{config.version}</dd>
      </dl>
      <div className="admin-actions">
        <button type="button" onPointerDown={() => void act('test-print')}>
          <Bi {...STRINGS.testPrint} />
        </button>
        <button type="button" onPointerDown={() => void act('reload')}>
          <Bi {...STRINGS.reload} />
        </button>
        <button type="button" onPointerDown={() => void act('quit')}>
          <Bi {...STRINGS.quit} />
        </button>
        <button type="button" onPointerDown={onClose}>
          <Bi {...STRINGS.close} />
        </button>
      </div>
      {message && (
        <p className="admin-message" role="status">
          <Bi {...message} />
        </p>
      )}
    </main>
  );
}
