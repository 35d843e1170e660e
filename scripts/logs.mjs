// Pretty-prints Luot's JSON log lines, offline (no npx, no internet): time, level, message, fields.
// See scripts/logs and docs/operations.md ("Logs").
import { createReadStream, existsSync, fstatSync, readdirSync, statSync, watchFile } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const NAMES = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v']);

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Cách dùng / Usage: scripts/logs [FILE...] [-f] [--level warn]
  Đọc nhật ký dạng dễ đọc / prints the log lines readably (local time, level, message, fields).
  No FILE: the newest file in $LUOT_DATA_DIR/logs (default ./data/logs), or stdin when piped:
    journalctl -u luot -o cat | scripts/logs
  -f            keep printing new lines (like tail -f)
  --level L     only L and above (trace, debug, info, warn, error, fatal)`);
  process.exit(0);
}
const follow = args.includes('-f') || args.includes('--follow');
const li = args.indexOf('--level');
const minLevel = li >= 0 ? NAMES[args[li + 1]] : 0;
if (li >= 0 && !minLevel) {
  console.error(`--level: một trong / one of ${Object.keys(NAMES).join(', ')}`);
  process.exit(2);
}
const files = args.filter((a, i) => (a === '-' || !a.startsWith('-')) && !(li >= 0 && i === li + 1));

const pad = (n) => String(n).padStart(2, '0');
function localTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
function field(v) {
  if (v && typeof v === 'object' && typeof v.message === 'string') return JSON.stringify(v.message + (v.code ? ` (${v.code})` : ''));
  return typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v);
}
function line(text) {
  let o;
  try {
    o = JSON.parse(text);
  } catch {
    if (!minLevel) console.log(text); // not a log line (the start banner, a refusal): as it is
    return;
  }
  if (!o || typeof o !== 'object' || typeof o.level !== 'number') return void console.log(text);
  if (o.level < minLevel) return;
  const rest = Object.entries(o)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${field(v)}`)
    .join(' ');
  console.log(`${typeof o.time === 'number' ? localTime(o.time) : '-'} ${LEVELS[o.level] ?? o.level} ${o.msg ?? ''}${rest ? `  ${rest}` : ''}`);
  if (o.err?.stack && o.level >= 50) console.log(String(o.err.stack).replace(/^/gm, '    '));
}

async function printFile(file, from = 0) {
  const rl = createInterface({ input: createReadStream(file, { start: from }) });
  for await (const l of rl) line(l);
}

function newestLog() {
  const dir = resolve(process.env.LUOT_DATA_DIR ?? './data', 'logs');
  if (!existsSync(dir)) return null;
  const logs = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  return logs.at(-1) ?? null;
}

// Piped or redirected in (a pipe or a file, not a terminal or /dev/null): read stdin.
const stdinIn = (() => {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isFile();
  } catch {
    return false;
  }
})();
if (files[0] === '-' || (!files.length && stdinIn)) {
  for await (const l of createInterface({ input: process.stdin })) line(l);
} else {
  if (!files.length) {
    const newest = newestLog();
    if (!newest) {
      console.error(`Không thấy tệp nhật ký trong / no log file in ${resolve(process.env.LUOT_DATA_DIR ?? './data', 'logs')} (LUOT_DATA_DIR?)`);
      process.exit(2);
    }
    files.push(newest);
  }
  for (const f of files) await printFile(f);
  if (follow) {
    const f = files.at(-1);
    let size = statSync(f).size;
    watchFile(f, { interval: 500 }, async (cur) => {
      if (cur.size > size) {
        const from = size;
        size = cur.size;
        await printFile(f, from);
      } else size = cur.size;
    });
  }
}
