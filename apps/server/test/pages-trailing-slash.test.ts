import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/open.js';
import { createServer, type LuotServer } from '../src/server.js';

/**
 * A page path typed with a trailing slash (/admin/, /kiosk/#token=…) reaches the page: a real
 * server with built-looking page folders (the kiosk's static files served under /kiosk/ too), on
 * a real port, answering real HTTP. Never the JSON 404 or "The body is not valid JSON" of before.
 */
let dir: string;
let db: Db;
let server: LuotServer;
let url: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luot-slash-'));
  const app = join(dir, 'app');
  const kiosk = join(dir, 'kiosk');
  mkdirSync(app);
  mkdirSync(kiosk);
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(app, 'ticket.html'), '<!doctype html><title>ticket page</title>');
  writeFileSync(join(kiosk, 'index.html'), '<!doctype html><title>kiosk</title>');
  db = openDatabase(join(dir, 'luot.sqlite'));
  server = await createServer({ db, webRoots: { app, kiosk } });
  url = await server.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a folder of the static files', () => {
  it('is not found (404 NOT_FOUND in both languages), not a request error', async () => {
    mkdirSync(join(dir, 'app', 'assets'), { recursive: true });
    for (const path of ['/ui/', '/ui/assets/', '/kiosk/assets/']) {
      const r = await fetch(`${url}${path}`, { redirect: 'manual' });
      expect(r.status, path).toBe(404);
      expect(((await r.json()) as { error: unknown }).error).toMatchObject({ code: 'NOT_FOUND', messageVi: expect.any(String) });
    }
  });
});

describe('a trailing slash on a page path', () => {
  it('redirects to the page, keeping the query, and the page answers', async () => {
    const cases: [string, string, string][] = [
      ['/admin/', '/admin', 'app'],
      ['/counter/', '/counter', 'app'],
      ['/display/', '/display', 'app'],
      ['/rating/?counter=3', '/rating?counter=3', 'app'],
      ['/kiosk/', '/kiosk', 'kiosk'],
      ['/kiosk/?idleMs=1500&ticketMs=2000', '/kiosk?idleMs=1500&ticketMs=2000', 'kiosk'],
      ['/t/AAAAAAAAAAAAAAAAAAAAAA/', '/t/AAAAAAAAAAAAAAAAAAAAAA', 'ticket page'],
    ];
    for (const [from, to, title] of cases) {
      const r = await fetch(url + from, { redirect: 'manual' });
      expect(r.status, from).toBe(302);
      expect(r.headers.get('location'), from).toBe(to);
      // Followed, as a browser does: the page itself.
      const page = await fetch(url + from);
      expect(page.status, from).toBe(200);
      expect(page.headers.get('content-type'), from).toMatch(/^text\/html/);
      expect(await page.text(), from).toContain(`<title>${title}</title>`);
    }
  });

  it('a GET with a JSON content type and no body is still a page, not a body error', async () => {
    const r = await fetch(`${url}/kiosk/`, { headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<title>kiosk</title>');
  });

  it('leaves the kiosk\'s files and the API alone', async () => {
    expect((await fetch(`${url}/kiosk/index.html`)).status).toBe(200);
    const missing = await fetch(`${url}/kiosk/no-such.js`);
    expect(missing.status).toBe(404);
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
  });
});
