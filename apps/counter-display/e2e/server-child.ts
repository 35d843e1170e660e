import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { expect } from 'vitest';
import { ADMIN_PASSWORD, freePort, spawnServer, tempDataDir } from '../../server/test/helpers/test-server.js';

/**
 * The built server as a child process for the page tests that kill it or restart it (recovery,
 * double-action): its own data dir (the demo center), a port kept across restarts, and its REST
 * API for the set-up and for asking the server what it holds. `dispose` in afterAll.
 */
export class ServerChild {
  readonly dataDir = tempDataDir();
  port = 0;
  url = '';
  private child: ChildProcess | undefined;

  /** Starts it (on the same port as before, after a stop); resolves with the time it first answered /health. */
  async start(): Promise<number> {
    if (!this.port) this.port = await freePort();
    ({ child: this.child, url: this.url } = await spawnServer(this.dataDir, this.port));
    return Date.now();
  }

  /** Stops it and waits for the exit: SIGTERM as a service restart does it, SIGKILL as a power cut. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  }

  /** Kills it and removes its data. */
  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  // api and ok are bound (arrow properties): a test may take them out, `const { ok } = server`.

  /** fetch against /api/v1 with JSON in and out. */
  readonly api = async (method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  /** As api, and the answer must be a success (the failure names the call and the server's answer). */
  readonly ok = async (method: string, path: string, token?: string, body?: unknown): Promise<any> => {
    const r = await this.api(method, path, token, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };

  /** The demo center's admin token. */
  async signInAdmin(): Promise<string> {
    return ((await this.ok('POST', '/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD })) as { token: string }).token;
  }

  /** Registers a kiosk or a TV and returns its device token. */
  async pairDevice(adminToken: string, kind: 'kiosk' | 'display', name: string): Promise<string> {
    return ((await this.ok('POST', '/devices', adminToken, { kind, name })) as { token: string }).token;
  }

  /** The center's services by code: id. */
  async serviceIds(): Promise<Record<string, number>> {
    const list = (await this.ok('GET', '/services')) as { id: number; code: string }[];
    return Object.fromEntries(list.map((s) => [s.code, s.id]));
  }
}
