import type { DiscoveredServer } from '@luot/discovery';

/**
 * The server the kiosk talks to: the `serverUrl` of kiosk.json, or, when it says "auto", the
 * first Luot server that answers a LAN discovery probe (docs/operations.md, "Discovery"). Tries
 * `attempts` times (the server PC may still be booting after a power cut), then gives up so the
 * technician sees why, and can type the address into kiosk.json.
 */
export async function resolveServerUrl(
  configured: string,
  discover: () => Promise<DiscoveredServer | null>,
  opts: { attempts?: number; log?: (msg: string) => void; onSearching?: (attempt: number) => void } = {},
): Promise<string | null> {
  if (configured !== 'auto') return configured;
  const attempts = opts.attempts ?? 10;
  for (let i = 1; i <= attempts; i++) {
    opts.onSearching?.(i);
    const found = await discover();
    if (found) {
      opts.log?.(`discovered ${found.name} ${found.version} at ${found.url}`);
      return new URL(found.url).origin;
    }
  }
  opts.log?.(`no server answered discovery after ${attempts} attempts`);
  return null;
}
