/**
 * The dashboard's one stylesheet (served at /assets/province.css; no inline styles, so the CSP
 * needs no 'unsafe-inline'). The center admin's palette (apps/counter-display/src/app.css);
 * text contrast at least 4.5:1 on its background.
 */
export const STYLESHEET = `
:root {
  --bg: #f4f6f8; --card: #fff; --ink: #14202b; --muted: #50606d; --brand: #b3261e; --brand-ink: #fff;
  --good: #1b7f3b; --good-bg: #e6f4ea; --warn: #8a5300; --warn-bg: #fff4e0; --bad: #a3211b; --bad-bg: #fdecea;
  --line: #d5dce2; --head: #eef1f4;
  font-family: 'Noto Sans', 'DejaVu Sans', 'Segoe UI', Roboto, Arial, sans-serif;
  color: var(--ink); background: var(--bg); font-size: 15px;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: #0b57a4; }
.en { color: var(--muted); font-size: 0.82em; font-weight: normal; }
.bi { display: inline-flex; flex-direction: column; line-height: 1.2; }
.bi .en { font-size: 0.75em; }
.muted { color: var(--muted); }
header.top { display: flex; align-items: center; gap: 1.5rem; flex-wrap: wrap; background: var(--brand); color: var(--brand-ink); padding: 0.6rem 1.2rem; }
header.top .en { color: rgb(255 255 255 / 0.85); }
header.top .brand { font-weight: 700; font-size: 1.15rem; }
header.top nav { display: flex; gap: 0.4rem; flex: 1; flex-wrap: wrap; }
header.top nav a { color: var(--brand-ink); text-decoration: none; padding: 0.35rem 0.7rem; border-radius: 6px; }
header.top nav a[aria-current=page] { background: rgb(0 0 0 / 0.22); }
header.top form button { background: transparent; color: var(--brand-ink); border: 1px solid rgb(255 255 255 / 0.7); border-radius: 6px; padding: 0.3rem 0.7rem; }
main { padding: 1rem 1.2rem 2rem; max-width: 1500px; margin: 0 auto; }
h1 { font-size: 1.4rem; margin: 0.4rem 0 0.8rem; }
h2 { font-size: 1.12rem; margin: 0 0 0.6rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 0.9rem 1rem; margin-bottom: 1rem; }
.stats { display: flex; flex-wrap: wrap; gap: 0.7rem; margin-bottom: 1rem; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 0.6rem 0.9rem; min-width: 9.5rem; }
.stat .value { display: block; font-size: 1.5rem; font-weight: 700; }
.table-wrap { overflow-x: auto; }
table.grid { border-collapse: collapse; width: 100%; background: var(--card); font-size: 0.92rem; }
table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.45rem; text-align: left; vertical-align: top; }
table.grid th { background: var(--head); font-weight: 600; position: sticky; top: 0; }
table.grid td:first-child, table.grid th:first-child { min-width: 11rem; }
table[data-testid=ranking] td:first-child, table[data-testid=ranking] th:first-child { min-width: 0; }
table.grid td .when { display: block; font-size: 0.8em; color: var(--muted); white-space: nowrap; }
table.grid td.num, table.grid th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.grid tr.service td:first-child { padding-left: 1.6rem; }
table.grid tr.center-total td { font-weight: 600; }
tr.level-behind td, tr.level-stale td { background: var(--warn-bg); }
tr.level-lost td { background: var(--bad-bg); }
tr.level-never td, tr.level-revoked td { color: var(--muted); }
.badge { display: inline-block; border-radius: 999px; padding: 0.1rem 0.55rem; font-size: 0.85em; font-weight: 600; white-space: nowrap; }
.badge.ok { background: var(--good-bg); color: var(--good); }
.badge.behind, .badge.stale { background: var(--warn-bg); color: var(--warn); border: 1px solid var(--warn); }
.badge.lost { background: var(--bad-bg); color: var(--bad); border: 1px solid var(--bad); }
.badge.never, .badge.revoked { background: var(--head); color: var(--muted); }
.flag { display: inline-block; font-size: 0.85em; color: var(--warn); }
form.range { display: flex; flex-wrap: wrap; align-items: end; gap: 0.6rem; }
form.range label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.9em; }
input, button, select { font: inherit; }
input { padding: 0.45rem 0.6rem; border: 1px solid var(--line); border-radius: 8px; }
button, .button { display: inline-block; padding: 0.45rem 0.9rem; border-radius: 8px; border: 1px solid var(--line); background: var(--card); color: var(--ink); cursor: pointer; text-decoration: none; }
button.primary, .button.primary { background: var(--brand); color: var(--brand-ink); border-color: var(--brand); }
button.primary .en, .button.primary .en { color: rgb(255 255 255 / 0.9); }
.presets { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.7rem 0 0.3rem; }
.presets a { padding: 0.25rem 0.6rem; border: 1px solid var(--line); border-radius: 999px; text-decoration: none; color: var(--ink); background: var(--card); }
.presets a[aria-current=true] { background: var(--ink); color: #fff; border-color: var(--ink); }
.downloads { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-top: 0.6rem; }
.error { background: var(--bad-bg); color: var(--bad); border: 1px solid var(--bad); border-radius: 8px; padding: 0.6rem 0.8rem; margin-bottom: 1rem; }
.notice { background: var(--warn-bg); color: var(--warn); border: 1px solid var(--warn); border-radius: 8px; padding: 0.6rem 0.8rem; margin-bottom: 1rem; }
.key { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 1.05rem; background: var(--head); padding: 0.5rem; border-radius: 6px; word-break: break-all; }
.sign-in { max-width: 28rem; margin: 4rem auto; }
.sign-in form { display: flex; flex-direction: column; gap: 0.8rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.rule { font-size: 0.9em; color: var(--muted); max-width: 70rem; }
.actions form { display: inline; }
footer { color: var(--muted); font-size: 0.85em; text-align: center; padding: 1rem; }
`;
