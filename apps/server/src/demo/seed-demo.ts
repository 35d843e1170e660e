import type { Repos } from '../db/repos.js';
import { hashPassword } from '../auth/passwords.js';
import type { TokenService } from '../auth/tokens.js';

export const DEMO_SERVICES = [
  { code: 'land', nameVi: 'Đất đai', nameEn: 'Land records', prefix: '1', defaultServiceMinutes: 12 },
  { code: 'civil-status', nameVi: 'Hộ tịch', nameEn: 'Civil status', prefix: '2', defaultServiceMinutes: 8 },
  { code: 'certification', nameVi: 'Chứng thực', nameEn: 'Certification', prefix: '3', defaultServiceMinutes: 5 },
] as const;

/** Which services each demo counter serves, in its order. */
const DEMO_COUNTERS: { number: number; services: (typeof DEMO_SERVICES)[number]['code'][] }[] = [
  { number: 1, services: ['land', 'civil-status'] },
  { number: 2, services: ['civil-status', 'certification'] },
  { number: 3, services: ['certification', 'land'] },
  { number: 4, services: ['land', 'civil-status', 'certification'] },
];

export const DEMO_PASSWORD = 'demo';

export interface DemoLinks {
  kioskToken: string;
  displayToken: string;
}

/**
 * The demo center, seeded only into an empty database: three services open around the clock with
 * no daily limit, counters 1-4, officers canbo1-canbo4 (password "demo"), and one kiosk and one
 * TV already paired so a newcomer can open them at once. The device tokens are kept in settings
 * so the start-up banner can print the links again (demo only: real tokens are stored as hashes).
 * With `noPrinter` (scripts/start), an unprinted ticket is shown on the kiosk screen (printFailure "show").
 * ID-card check-in is on in the demo (off by default elsewhere).
 */
export async function seedDemoIfEmpty(repos: Repos, tokens: TokenService, now: number, opts: { noPrinter?: boolean } = {}): Promise<DemoLinks | null> {
  if (repos.services.list().length > 0) return repos.settings.get<DemoLinks>('demoLinks') ?? null;
  const ids = new Map<string, number>();
  DEMO_SERVICES.forEach((s, i) => {
    ids.set(
      s.code,
      repos.services.create({
        ...s,
        numberWidth: 3,
        hours: null,
        dailyLimit: null,
        targetWaitMinutes: 30,
        sortOrder: i,
        active: true,
      }),
    );
  });
  for (const c of DEMO_COUNTERS) repos.counters.create(c.number, `Quầy ${c.number}`, c.services.map((code) => ids.get(code) as number));
  const hash = await hashPassword(DEMO_PASSWORD);
  for (let i = 1; i <= 4; i++) if (!repos.users.byUsername(`canbo${i}`)) repos.users.create(`canbo${i}`, hash, 'officer', now);
  const links: DemoLinks = {
    kioskToken: tokens.issue({ deviceId: repos.devices.create('kiosk', 'Kiosk sảnh (demo)', now) }, now),
    displayToken: tokens.issue({ deviceId: repos.devices.create('display', 'TV phòng chờ (demo)', now) }, now),
  };
  repos.settings.set('demoLinks', links);
  // A demo without a printer keeps an unprinted ticket and shows it on the kiosk screen, so a
  // newcomer can take numbers at once (a real center chooses; the default is to cancel).
  if (opts.noPrinter) repos.settings.setCenter({ printFailure: 'show' });
  // The demo center shows the ID-card check-in (issue 16); a real center starts with it off
  // until it has decided its legal basis and put up the notice (docs/privacy.md).
  repos.settings.setCenter({ checkInEnabled: true });
  return links;
}
