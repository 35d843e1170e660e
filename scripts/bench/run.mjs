#!/usr/bin/env node
// `pnpm bench` (after `pnpm build`): the queue server benchmark. Prints a Markdown table;
// `pnpm bench --write-docs` also replaces the generated blocks of the "## Queue server" and
// "## Reports" sections of docs/benchmarks.md (other text is kept). `--only=queue|reports`;
// `--parts=issue,sockets,watchers,main` runs only those parts of the queue bench (printed only).
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.mjs';
import { PLAN, runQueueServerBench } from './queue-server.mjs';
import { runReportBench } from './reports.mjs';

const writeDocs = process.argv.includes('--write-docs');
const ms = (v) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : '-');
const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
const int = (v) => Math.round(v).toLocaleString('en-US');
const pass = (ok) => (ok ? 'yes' : '**NO**');

function machine() {
  const cpus = os.cpus();
  let fs = '';
  try {
    fs = execSync(`df -T ${JSON.stringify(os.tmpdir())} | tail -1`, { encoding: 'utf8' }).trim().split(/\s+/)[1] ?? '';
  } catch {
    /* not Linux */
  }
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? '?',
    memGb: (os.totalmem() / 2 ** 30).toFixed(0),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    tmpFs: fs,
  };
}

function renderIssue(r, lines) {
  const { raw, c1, c20, single, prefilled: p } = r.issue;
  const ratio = c20.perSec / raw.perSec;
  const ratio1 = c1.perSec / raw.perSec;
  const rows = int(p.tableRows);
  lines.push('**Issue** (POST /api/v1/tickets with a kiosk token over HTTP keep-alive on 127.0.0.1; SQLite WAL + synchronous=FULL; every 201 after the fsync of the commit that holds its ticket; the five series interleaved in 6 rounds)');
  lines.push('');
  lines.push('| what | tickets | commits (fsyncs) | per second | p50 | p99 | vs raw SQLite |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  const commits = (x) => (x.commits ? int(x.commits) : '-');
  lines.push(`| raw better-sqlite3 INSERT, one transaction each (same pragmas) | ${int(raw.n)} | ${int(raw.n)} | ${int(raw.perSec)} | ${ms(raw.p50)} | ${ms(raw.p99)} | 1.00 |`);
  lines.push(`| POST /tickets, concurrency 1 | ${int(c1.n)} | ${commits(c1)} | ${int(c1.perSec)} | ${ms(c1.p50)} | ${ms(c1.p99)} | ${ratio1.toFixed(2)} |`);
  lines.push(`| POST /tickets, concurrency 20 | ${int(c20.n)} | ${commits(c20)} | **${int(c20.perSec)}** | ${ms(c20.p50)} | ${ms(c20.p99)} | ${ratio.toFixed(2)} |`);
  lines.push(`| POST /tickets, concurrency 20, group commit off (each issue its own transaction and fsync, as before ADR 0011) | ${int(single.n)} | ${commits(single)} | ${int(single.perSec)} | ${ms(single.p50)} | ${ms(single.p99)} | ${(single.perSec / raw.perSec).toFixed(2)} |`);
  lines.push(`| POST /tickets, concurrency 20, ${rows} earlier tickets in the table | ${int(p.n)} | ${commits(p)} | ${int(p.perSec)} | ${ms(p.p50)} | ${ms(p.p99)} | ${(p.perSec / raw.perSec).toFixed(2)} |`);
  lines.push('');
  lines.push(
    `p50 of the first vs the last tenth of each concurrency-20 series (today's waiting queue grows from ${PLAN.issueWarmup} to ${int(PLAN.issueWarmup + PLAN.issueC20)}): ` +
      `${ms(c20.firstTenthP50)} -> ${ms(c20.lastTenthP50)} (empty table), ${ms(p.firstTenthP50)} -> ${ms(p.lastTenthP50)} (prefilled).` +
      (c20.commits ? ` Group commit at concurrency 20: ${(c20.n / c20.commits).toFixed(1)} tickets a commit.` : ''),
  );
  lines.push('');
}

function renderSockets(r, lines) {
  lines.push("**Call -> display** (POST /counters/:id/call-next as admin; time from writing the request until each socket.io client's `ticket:called` handler runs; clients in the bench process, server in its own)");
  lines.push('');
  lines.push("| clients | waiting | calls | deliveries | p50 | p99 | max | slowest client, p99 | call-next HTTP p50 | CPU per call: server / clients | server's event loop held at most | server RSS |");
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of r.sockets.rows) {
    lines.push(
      `| ${row.clients} | ${row.waiting} | ${row.calls} | ${int(row.deliveries.n)} | ${ms(row.deliveries.p50)} | ${ms(row.deliveries.p99)} | ${ms(row.deliveries.max)} | ${ms(row.lastClient.p99)} | ${ms(row.http.p50)} | ${row.cpu.serverMsPerCall.toFixed(1)} / ${row.cpu.driverMsPerCall.toFixed(1)} ms | ${ms(row.serverLoopMaxMs)} | ${mb(row.rss)} |`,
    );
  }
  const m500 = r.sockets.rows.find((x) => x.clients === PLAN.bigClients && !x.label.includes('waiting'));
  const m500w = r.sockets.rows.find((x) => x.label.includes('waiting'));
  const peak = r.sockets.memory.end.vmHwm;
  const sn = r.sockets.snapshot;
  lines.push('');
  lines.push(
    `Connecting: ${PLAN.bigClients - PLAN.smallClients} clients joined in ${ms(m500.connectMs)} (snapshot ${(m500.snapshotBytes / 1024).toFixed(0)} kB each); ` +
      `with ${int(sn.waiting)} waiting, all ${PLAN.bigClients} reconnecting at once took **${ms(m500w.connectMs)}**: a display's snapshot is ${(m500w.snapshotBytes / 1024).toFixed(1)} kB (a staff screen's ${(sn.bytes / 1024).toFixed(0)} kB, with every waiting ticket), built once per (seq, minute) in ${ms(sn.buildMs)}.`,
  );
  lines.push(`Bench server RSS (VmRSS, createServer in server-child.mjs): ${mb(r.sockets.memory.idle.vmRss)} idle, ${mb(m500.rss)} with ${PLAN.bigClients} clients, ${mb(r.sockets.memory.afterReconnect.vmRss)} just after the ${PLAN.bigClients} reconnected with ${int(sn.waiting)} waiting; peak (VmHWM) ${mb(peak)}.`);
  lines.push('');
}

function renderWatchers(r, lines) {
  lines.push(`**Phones watching their ticket** (socket.io with \`auth: { ticketId }\`, each its own connection, watching the day's last tickets of the three services; one server per row with ${PLAN.watcherWaiting} waiting and one counter serving all three, the rows measured in ${r.watchers.rounds} interleaved rounds; call-next and issue one at a time over HTTP; a phone's status is timed from writing the call-next request, which includes the call's own commit and fsync, and from the event, i.e. once the call is committed and answered; an issue moves no phone)`);
  lines.push('');
  lines.push("| phones | call-next p50 | call-next p99 | issue p50 | issue p99 | phone statuses | status from the request p50 / p99 | status from the event p50 / p99 / max | server CPU per call / issue | server's event loop held at most |");
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const w of r.watchers.rows) {
    lines.push(
      `| ${w.watchers} | ${ms(w.call.p50)} | ${ms(w.call.p99)} | ${ms(w.issue.p50)} | ${ms(w.issue.p99)} | ${int(w.status.n)} | ${ms(w.status.p50)} / ${ms(w.status.p99)} | ${ms(w.afterEvent.p50)} / ${ms(w.afterEvent.p99)} / ${ms(w.afterEvent.max)} | ${w.cpuPerCall.toFixed(1)} / ${w.cpuPerIssue.toFixed(1)} ms | ${ms(w.serverLoopMaxMs)} |`,
    );
  }
  lines.push('');
}

function renderMain(r, lines) {
  const x = r.main;
  lines.push(`**Memory through main.js** (\`node ${x.flags.length ? `${x.flags.join(' ')} ` : ''}apps/server/dist/src/main.js\` as a center starts it: demo center, log file, nightly job, LAN discovery on a loopback port; started in ${(x.startMs / 1000).toFixed(1)} s)`);
  lines.push('');
  lines.push('| when | VmRSS | of which anonymous | of which files (node binary, libraries) | peak so far (VmHWM) |');
  lines.push('|---|---:|---:|---:|---:|');
  const row = (label, m) => lines.push(`| ${label} | **${mb(m.vmRss)}** | ${mb(m.rssAnon)} | ${mb(m.rssFile)} | ${mb(m.vmHwm)} |`);
  row('idle, 2 s after listening', x.idle2s);
  row('idle, 10 s after listening', x.idle);
  row(`${PLAN.mainScreens} TVs connected (5 s after the last snapshot; they joined in ${ms(x.connectMs)})`, x.screens);
  lines.push('');
  if (x.idleCpu) {
    const perSec = x.idleCpu.ms / (x.idleCpu.overMs / 1000);
    lines.push(
      `**CPU of a quiet center with ${PLAN.mainScreens} TVs connected** (heartbeat pings every 10 s to each, timers; over ${(x.idleCpu.overMs / 1000).toFixed(0)} s): ${perSec.toFixed(1)} ms of CPU a second, ${(perSec / 10).toFixed(2)} % of one core.`,
    );
    lines.push('');
  }
}

function renderTargets(r, lines) {
  const rows = [];
  if (r.issue) {
    const { c20, prefilled: p } = r.issue;
    rows.push(`| issue >= 2,000 tickets/s at concurrency 20, every 201 after its own fsync | ${int(c20.perSec)}/s (${int(p.perSec)}/s with ${int(p.tableRows)} earlier tickets) | ${pass(c20.perSec >= 2000)} |`);
    rows.push(`| issue latency flat with table size | p50 ${ms(c20.p50)} empty vs ${ms(p.p50)} with ${int(p.tableRows)} rows | ${pass(p.p50 <= c20.p50 * 1.25 + 1)} |`);
  }
  if (r.sockets) {
    const m500 = r.sockets.rows.find((x) => x.clients === PLAN.bigClients && !x.label.includes('waiting'));
    const m500w = r.sockets.rows.find((x) => x.label.includes('waiting'));
    const ok = (d) => d.p50 <= 8 && d.p99 <= 20;
    rows.push(`| call -> display at ${PLAN.bigClients} screens: p50 <= 8 ms, p99 <= 20 ms | p50 ${ms(m500.deliveries.p50)}, p99 ${ms(m500.deliveries.p99)}; with ${int(r.sockets.snapshot.waiting)} waiting p50 ${ms(m500w.deliveries.p50)}, p99 ${ms(m500w.deliveries.p99)} | ${pass(ok(m500.deliveries))}; ${pass(ok(m500w.deliveries))} |`);
    rows.push(`| ${PLAN.bigClients} displays reconnecting with ${int(r.sockets.snapshot.waiting)} waiting in < 1 s | ${ms(m500w.connectMs)} | ${pass(m500w.connectMs < 1000)} |`);
  }
  if (r.watchers) {
    const none = r.watchers.rows.find((w) => w.watchers === 0);
    const most = r.watchers.rows.at(-1);
    rows.push(`| ${most.watchers} phones watching: call-next and issue p50 within 1.3x of none | call-next ${ms(most.call.p50)} vs ${ms(none.call.p50)} (${(most.call.p50 / none.call.p50).toFixed(2)}x); issue ${ms(most.issue.p50)} vs ${ms(none.issue.p50)} (${(most.issue.p50 / none.issue.p50).toFixed(2)}x) | ${pass(most.call.p50 <= 1.3 * none.call.p50)}; ${pass(most.issue.p50 <= 1.3 * none.issue.p50)} |`);
    rows.push(`| every phone's status within 50 ms p99 of the event | p99 ${ms(most.afterEvent.p99)} after the call's answer, ${ms(most.status.p99)} from its request (${int(most.status.n)} statuses at ${most.watchers} phones) | ${pass(most.afterEvent.p99 <= 50)} |`);
  }
  if (r.main) {
    rows.push(`| main.js RSS <= 100 MB idle, <= 130 MB with ${PLAN.mainScreens} screens | ${mb(r.main.idle.vmRss)} idle; ${mb(r.main.screens.vmRss)} with ${PLAN.mainScreens} | ${pass(r.main.idle.vmRss <= 100 * 2 ** 20)}; ${pass(r.main.screens.vmRss <= 130 * 2 ** 20)} |`);
  }
  lines.push('**Targets** (issue 14)');
  lines.push('');
  lines.push('| target | measured | met |');
  lines.push('|---|---|---|');
  lines.push(...rows);
}

function render(r, m) {
  const load = (l) => l.map((x) => x.toFixed(1)).join(' / ');
  const lines = [];
  lines.push(`Machine: ${m.cpus} cores (${m.model}), ${m.memGb} GB RAM, ${m.kernel}, Node ${m.node}, temp dir on ${m.tmpFs || '?'}.`);
  lines.push(`Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${r.seconds.toFixed(0)} s in all; load average (1/5/15 min) ${load(r.loadBefore)} before, ${load(r.loadAfter)} after.`);
  lines.push('');
  if (r.issue) renderIssue(r, lines);
  if (r.sockets) renderSockets(r, lines);
  if (r.watchers) renderWatchers(r, lines);
  if (r.main) renderMain(r, lines);
  renderTargets(r, lines);
  return lines.join('\n');
}

/** Replaces (or adds under `heading`) the generated block named `name` in docs/benchmarks.md. */
function replaceBlock(text, name, heading, block) {
  const begin = `<!-- bench:${name}:begin (generated by \`pnpm bench --write-docs\`) -->`;
  const end = `<!-- bench:${name}:end -->`;
  const generated = `${begin}\n${block}\n${end}`;
  if (text.includes(begin) && text.includes(end)) return text.slice(0, text.indexOf(begin)) + generated + text.slice(text.indexOf(end) + end.length);
  if (text.includes(`\n${heading}`)) {
    const at = text.indexOf('\n', text.indexOf(`\n${heading}`) + 1);
    return `${text.slice(0, at + 1)}\n${generated}\n${text.slice(at + 1)}`;
  }
  return `${text.trimEnd()}\n\n${heading}\n\nCommand: \`pnpm build && pnpm bench\`.\n\n${generated}\n`;
}

function renderReports(r) {
  const lines = [];
  lines.push(`${r.tickets.toLocaleString('en-US')} tickets over 260 working days (one busy year) written by \`scripts/seed-history.mjs\` in ${r.seedSeconds.toFixed(1)} s; GET /api/v1/admin/reports over HTTP on 127.0.0.1, median of 7 after the first ("cold": it sums the closed days into \`report_daily\` once).`);
  lines.push('');
  lines.push('| range | tickets | cold | median | max | Excel export | target < 300 ms |');
  lines.push('|---|---:|---:|---:|---:|---:|---|');
  for (const x of r.results) lines.push(`| ${x.name} (${x.from} to ${x.to}) | ${x.issued.toLocaleString('en-US')} | ${ms(x.cold)} | ${ms(x.median)} | ${ms(x.max)} | ${ms(x.xlsxMs)} | ${pass(x.median < 300)} |`);
  return lines.join('\n');
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const m = machine();
const file = join(repoRoot, 'docs', 'benchmarks.md');
let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
const parts = process.argv.find((a) => a.startsWith('--parts='))?.slice(8).split(',');
if (!only || only === 'queue') {
  const block = render(await runQueueServerBench(parts), m);
  console.log(`\n## Queue server\n\n${block}\n`);
  // A partial run (--parts) is printed, never written over the whole run's figures.
  if (!parts) text = replaceBlock(text, 'queue-server', '## Queue server', block);
}
if (!only || only === 'reports') {
  const block = `Machine: ${m.cpus} cores (${m.model}), Node ${m.node}.\n\n${renderReports(await runReportBench())}`;
  console.log(`\n## Reports\n\n${block}\n`);
  text = replaceBlock(text, 'reports', '## Reports', block);
}
if (writeDocs) {
  writeFileSync(file, text);
  console.error(`[bench] wrote ${file}`);
}
