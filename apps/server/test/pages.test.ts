import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type LuotServer } from '../src/server.js';
import { openDatabase } from '../src/db/open.js';

function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
let server: LuotServer;
let url: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luot-pages-'));
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(app, 'ticket.html'), '<!doctype html><title>ticket page</title>');
  mkdirSync(join(dir, 'voice', 'vi'), { recursive: true });
  writeFileSync(join(dir, 'voice', 'vi', 'mot.ogg'), 'OggS-own-recording');
  mkdirSync(join(app, 'voice', 'vi'), { recursive: true });
  writeFileSync(join(app, 'voice', 'vi', 'mot.ogg'), 'OggS-built-in');
  writeFileSync(join(app, 'voice', 'vi', 'hai.ogg'), 'OggS-built-in-hai');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  server = await createServer({ db: openDatabase(join(dir, 'luot.sqlite')), webRoots: { app, kiosk: join(dir, 'missing') }, voiceDir: join(dir, 'voice') });
  url = await server.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pages and files', () => {
  it('answers every app route with the app and its security headers', async () => {
    for (const path of ['/counter', '/display', '/admin', '/rating', '/t/AAAAAAAAAAAAAAAAAAAAAA']) {
      const r = await fetch(url + path);
      expect(r.status).toBe(200);
      // The citizen's ticket page is its own light entry.
      expect(await r.text()).toContain(path.startsWith('/t/') ? '<title>ticket page</title>' : '<title>app</title>');
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('says plainly, in Vietnamese and English, when a UI is not built', async () => {
    const r = await fetch(`${url}/kiosk`);
    expect(r.status).toBe(503);
    expect(await r.text()).toMatch(/chưa được build[\s\S]*not built/);
  });

  it("serves a center's own voice clip where it has one, the built-in clip otherwise, 404 for the rest", async () => {
    const r = await fetch(`${url}/voice/vi/mot.ogg`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('audio/ogg');
    expect(await r.text()).toBe('OggS-own-recording');
    const fallback = await fetch(`${url}/voice/vi/hai.ogg`);
    expect([fallback.status, await fallback.text()]).toEqual([200, 'OggS-built-in-hai']);
    expect((await fetch(`${url}/voice/vi/ba.ogg`)).status).toBe(404);
    expect((await fetch(`${url}/voice/vi/..%2F..%2Fsecret.txt`)).status).toBe(404);
  });

  it('never serves a file outside its folder', async () => {
    for (const path of ['/voice/../secret.txt', '/voice/%2e%2e/secret.txt', '/ui/..%2f..%2fsecret.txt', '/voice/vi/..%2f..%2fluot.sqlite']) {
      // Raw HTTP: fetch would normalise the dots away before they reach the server.
      const r = await rawGet(path);
      expect(r.body).not.toContain('do not serve');
      expect(r.body).not.toContain('SQLite format');
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
  });
});
