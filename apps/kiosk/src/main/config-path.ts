import { join } from 'node:path';

/**
 * Where kiosk.json lives: `--config=<path>` on the command line, else `LUOT_KIOSK_CONFIG`, else
 * `<userData>/kiosk.json` (Windows: %APPDATA%\Luot Kiosk\kiosk.json; Linux:
 * ~/.config/Luot Kiosk/kiosk.json), which is where the installer writes it.
 */
export function resolveConfigPath(argv: readonly string[], env: Record<string, string | undefined>, userData: string): string {
  const flag = argv.find((a) => a.startsWith('--config='));
  if (flag) return flag.slice('--config='.length);
  if (env.LUOT_KIOSK_CONFIG) return env.LUOT_KIOSK_CONFIG;
  return join(userData, 'kiosk.json');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain page that tells the technician what is wrong with the file, in both languages. */
export function configErrorPageUrl(configPath: string, errors: readonly string[]): string {
  const items = errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('');
  const html = `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Luot</title>
<body style="margin:0;padding:64px;background:#5c1a1a;color:#fff;font-family:sans-serif;font-size:28px">
<h1>Máy lấy số chưa được cấu hình đúng</h1><p>The kiosk is not configured correctly. Please call a technician.</p>
<p>File: <code>${escapeHtml(configPath)}</code></p><ul>${items}</ul></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
