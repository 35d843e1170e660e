import { html, type Html, type Value } from '../html.js';

/** Vietnamese first, English second, as on every Luot screen. */
export const bi = (vi: string, en: string): Html => html`<span class="bi"><span class="vi">${vi}</span><span class="en">${en}</span></span>`;
/** Inline form: "Vietnamese / English". */
export const both = (vi: string, en: string): Html => html`${vi} <span class="en">/ ${en}</span>`;

export type NavId = 'now' | 'report' | 'centers' | null;

const NAV: { id: Exclude<NavId, null>; href: string; vi: string; en: string }[] = [
  { id: 'now', href: '/', vi: 'Hiện tại', en: 'Now' },
  { id: 'report', href: '/report', vi: 'Báo cáo & xếp hạng', en: 'Report & ranking' },
  { id: 'centers', href: '/centers', vi: 'Quản lý trung tâm', en: 'Manage centers' },
];

export function page(opts: { title: string; nav: NavId; body: Value; refreshSeconds?: number; signedIn?: boolean }): string {
  const signedIn = opts.signedIn ?? true;
  return `<!doctype html>\n${html`<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · Lượt – Tỉnh</title>
<link rel="stylesheet" href="/assets/province.css">
${opts.refreshSeconds ? html`<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : ''}
</head>
<body>
<header class="top">
  <div class="brand">Lượt · Tỉnh <span class="en">Province</span></div>
  ${
    signedIn
      ? html`<nav>${NAV.map((n) => html`<a href="${n.href}"${n.id === opts.nav ? html` aria-current="page"` : ''}>${n.vi} <span class="en">${n.en}</span></a>`)}</nav>
  <form method="post" action="/sign-out"><button type="submit">Đăng xuất <span class="en">Sign out</span></button></form>`
      : ''
  }
</header>
<main>
${opts.body}
</main>
<footer>Lượt — hệ thống xếp hàng cho trung tâm phục vụ hành chính công · <span class="en">queue ticketing, province roll-up</span></footer>
</body>
</html>`.text}`;
}

export const errorBox = (vi: string, en: string): Html => html`<div class="error" role="alert" data-testid="error">${vi} <span class="en">${en}</span></div>`;
