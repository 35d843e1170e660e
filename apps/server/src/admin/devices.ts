import type { CreateDeviceBody, Device, DeviceInfo, DeviceRevoked } from '@luot/protocol';
import type { z } from 'zod';
import type { Alerts } from '../alerts.js';
import type { TokenService } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { Repos } from '../db/repos.js';
import { AppError } from '../errors.js';
import { actorIds, type Actor } from '../queue/actor.js';

export interface DeviceAdminDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  tokens: TokenService;
  alerts: Alerts;
  /** Cuts the device's live sockets (the socket layer's; a no-op before it is attached). */
  disconnectDevice: (deviceId: number) => void;
  /** A time as the center's local ISO string (queue views). */
  iso: (ms: number) => string;
}

/**
 * The admin's kiosks and TVs: list, register (its token is shown once, in the answer) and
 * revoke. Each change is one transaction with its audit line; a revoked device's sockets are cut
 * and its alerts cleared after the commit.
 */
export function createDeviceAdmin({ db, repos, clock, tokens, alerts, disconnectDevice, iso }: DeviceAdminDeps) {
  function list(): DeviceInfo[] {
    return repos.devices.list().map((d) => ({
      id: d.id,
      kind: d.kind,
      name: d.name,
      createdAt: iso(d.createdAt),
      lastSeenAt: d.lastSeenAt === null ? null : iso(d.lastSeenAt),
      revoked: d.revoked,
    }));
  }

  function create(actor: Actor, body: z.infer<typeof CreateDeviceBody>): Device {
    const now = clock.now();
    const { id, token } = db.transaction(() => {
      const deviceId = repos.devices.create(body.kind, body.name, now);
      repos.audit.add(now, actorIds(actor).userId, 'device.create', `device:${deviceId}`, body);
      return { id: deviceId, token: tokens.issue({ deviceId }, now) };
    })();
    return { id, kind: body.kind, name: body.name, token };
  }

  function revoke(actor: Actor, id: number): DeviceRevoked {
    const now = clock.now();
    if (!repos.devices.get(id)) throw new AppError('DEVICE_NOT_FOUND');
    db.transaction(() => {
      repos.devices.revoke(id, now);
      repos.tokens.revokeForDevice(id, now);
      repos.audit.add(now, actorIds(actor).userId, 'device.revoke', `device:${id}`, {});
    })();
    disconnectDevice(id);
    // Its alerts are over with it; staff screens drop them.
    alerts.clearDevice(id);
    return { id, revoked: true };
  }

  return { list, create, revoke };
}
export type DeviceAdmin = ReturnType<typeof createDeviceAdmin>;
