import type { Repos } from './db/repos.js';
import { hashPassword } from './auth/passwords.js';

/** LUOT_ADMIN_PASSWORD creates user "admin" when no admin exists yet; it never changes an existing one. */
export async function ensureAdmin(repos: Repos, password: string | undefined, now: number): Promise<boolean> {
  if (!password || repos.users.hasAdmin()) return false;
  if (repos.users.byUsername('admin')) return false;
  repos.users.create('admin', await hashPassword(password), 'admin', now);
  return true;
}
