import type { CenterInfo } from '../../admin/centers.js';
import { localTime } from '../format.js';
import { html } from '../html.js';
import { bi, both, errorBox, page } from './layout.js';

export function signInPage(p: { next: string; error?: { vi: string; en: string } }): string {
  const body = html`<div class="card sign-in">
  <h1>${both('Đăng nhập quản trị tỉnh', 'Province admin sign-in')}</h1>
  ${p.error ? errorBox(p.error.vi, p.error.en) : ''}
  <form method="post" action="/sign-in">
    <input type="hidden" name="next" value="${p.next}">
    <label>${both('Mã quản trị (PROVINCE_ADMIN_TOKEN)', 'Admin token')}<br>
      <input type="password" name="token" autocomplete="current-password" required autofocus size="44"></label>
    <button type="submit" class="primary">Đăng nhập <span class="en">Sign in</span></button>
  </form>
  <p class="muted">Mã quản trị do người vận hành máy chủ tỉnh đặt. <span class="en">The token is set by whoever runs the province service.</span></p>
</div>`;
  return page({ title: 'Đăng nhập', nav: null, body, signedIn: false });
}

/** Registering centers and their keys; a new key is shown on this answer only. */
export function centersAdminPage(p: { centers: CenterInfo[]; provinceUrl: string; shownKey?: { center: CenterInfo; key: string }; error?: { vi: string; en: string }; done?: { vi: string; en: string } }): string {
  const body = html`
<h1>${both('Quản lý trung tâm', 'Manage centers')}</h1>
${p.error ? errorBox(p.error.vi, p.error.en) : ''}
${p.done ? html`<div class="notice" data-testid="done">${p.done.vi} <span class="en">${p.done.en}</span></div>` : ''}
${
  p.shownKey
    ? html`<div class="card" data-testid="new-key" data-center="${p.shownKey.center.code}">
  <h2>${both(`Khóa của ${p.shownKey.center.name}`, 'Its key')}</h2>
  <p><strong>Chỉ hiển thị một lần — sao chép ngay.</strong> <span class="en">Shown once: copy it now; the province keeps only its hash.</span></p>
  <p class="key" data-testid="key">${p.shownKey.key}</p>
  <p>Đặt trên máy chủ của trung tâm <span class="en">Set on the center's server</span>:</p>
  <p class="key">LUOT_PROVINCE_URL=${p.provinceUrl}<br>LUOT_PROVINCE_KEY=${p.shownKey.key}</p>
</div>`
    : ''
}
<div class="card">
  <h2>${both('Đăng ký trung tâm', 'Register a center')}</h2>
  <form class="range" method="post" action="/centers">
    <label>${both('Mã', 'Code')}<input name="code" required maxlength="40" pattern="[A-Za-z0-9._\\-]{1,40}" placeholder="xa-tan-thanh"></label>
    <label>${both('Tên', 'Name')}<input name="name" required maxlength="200" size="40" placeholder="Trung tâm PVHCC xã Tân Thành"></label>
    <button type="submit" class="primary">Đăng ký và tạo khóa <span class="en">Register, make its key</span></button>
  </form>
</div>
<div class="card table-wrap">
<table class="grid" data-testid="centers-admin">
  <thead><tr><th>${bi('Mã', 'Code')}</th><th>${bi('Tên', 'Name')}</th><th>${bi('Trạng thái', 'State')}</th><th>${bi('Cơ sở dữ liệu đã gắn', 'Bound database')}</th><th>${bi('Đăng ký lúc', 'Registered')}</th><th>${bi('Thao tác', 'Actions')}</th></tr></thead>
  <tbody>${p.centers.map(
    (c) => html`<tr data-center="${c.code}" data-revoked="${String(c.revoked)}">
    <td>${c.code}</td><td><a href="/centers/${c.id}">${c.name}</a></td>
    <td>${c.revoked ? html`<span class="badge revoked">Đã thu hồi <span class="en">revoked</span></span>` : html`<span class="badge ok">Hoạt động <span class="en">active</span></span>`}</td>
    <td><code>${c.centerUid ?? '—'}</code></td>
    <td>${localTime(c.createdAt)}</td>
    <td class="actions">
      <form method="post" action="/centers/${c.id}/key"><button type="submit" data-action="key">Tạo khóa mới <span class="en">New key</span></button></form>
      ${c.revoked ? '' : html`<form method="post" action="/centers/${c.id}/revoke"><button type="submit" data-action="revoke">Thu hồi khóa <span class="en">Revoke</span></button></form>`}
      ${c.centerUid ? html`<form method="post" action="/centers/${c.id}/rebind"><button type="submit" data-action="rebind">Cho gắn máy mới <span class="en">Re-bind</span></button></form>` : ''}
    </td>
  </tr>`,
  )}</tbody>
</table>
<p class="rule">“Thu hồi”: khóa ngừng hoạt động ngay, số liệu đã gửi vẫn giữ. “Tạo khóa mới”: khóa cũ ngừng hoạt động (ví dụ khi lộ khóa). “Cho gắn máy mới”: lô dữ liệu tiếp theo được gắn với cơ sở dữ liệu gửi nó (trung tâm thay máy chủ mới, cơ sở dữ liệu mới).
<span class="en">Revoke: the key stops at once, what it sent stays. New key: the old one stops (a leaked key). Re-bind: the next batch binds the key to the database that sends it (a center on a new machine with a new database).</span></p>
</div>`;
  return page({ title: 'Quản lý trung tâm', nav: 'centers', body });
}
