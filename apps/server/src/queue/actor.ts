/** Who is acting: a signed-in person or a registered device. Every event records it. */
export type Actor =
  | { kind: 'user'; userId: number; username: string; role: 'admin' | 'officer' }
  | { kind: 'device'; deviceId: number; name: string; role: 'kiosk' | 'display' };

export type Role = Actor['role'];

export function actorIds(actor: Actor | null): { userId: number | null; deviceId: number | null } {
  if (!actor) return { userId: null, deviceId: null };
  return actor.kind === 'user' ? { userId: actor.userId, deviceId: null } : { userId: null, deviceId: actor.deviceId };
}
