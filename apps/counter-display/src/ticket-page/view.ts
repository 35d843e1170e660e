import type { PublicTicket } from '@luot/protocol';
import type { Bi } from './format.js';
import { describeTicket } from './format.js';

/** Plain DOM (no framework): the page is small and must load fast on a cheap phone. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** Vietnamese on one line, English smaller below. */
function bi(text: Bi, attrs: Record<string, string> = {}): HTMLElement {
  return el('span', { class: 'tp-bi', ...attrs }, el('span', { class: 'tp-vi' }, text.vi), el('span', { class: 'tp-en' }, text.en));
}

function fact(label: Bi, value: Node | string, testid: string): HTMLElement {
  return el('div', { class: 'tp-fact', 'data-testid': testid }, el('dt', {}, bi(label)), el('dd', {}, value));
}

/**
 * A bell drawn inline (no emoji: a phone or browser without an emoji font shows an empty box for
 * 🔔). Decorative: the button's words say what it does.
 */
function bellIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: '24', height: '24', class: 'tp-icon', 'aria-hidden': 'true', focusable: 'false', 'data-testid': 'bell-icon' })) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z');
  svg.append(path);
  return svg;
}

const FOOTER: Bi = { vi: 'Trang chỉ hiển thị số thứ tự, không có thông tin cá nhân.', en: 'Numbers only — no personal data.' };

export interface PageView {
  showTicket(t: PublicTicket): void;
  showMessage(kind: 'unknown' | 'invalid'): void;
  setReconnecting(on: boolean): void;
  /** Shows the "turn on vibration and sound" button; the callback runs on the tap. */
  offerAlerts(onEnable: () => void): void;
  /** The rating section (rating.ts), shown under a finished ticket and kept across updates. */
  setRating(node: HTMLElement): void;
}

export function mountPage(root: HTMLElement): PageView {
  const banner = el('div', { class: 'tp-conn', 'data-testid': 'connection-banner', role: 'status', hidden: '' }, bi({ vi: 'Đang kết nối lại…', en: 'Reconnecting…' }));
  const screen = el('main', { class: 'tp-screen', 'data-tone': 'loading' });
  root.replaceChildren(banner, screen);
  let alertButton: HTMLButtonElement | null = null;
  let ratingNode: HTMLElement | null = null;
  // The last ticket shown, so a change of service (a transfer) can be said once it is seen.
  let lastTicket: PublicTicket | undefined;

  const footer = () => el('footer', { class: 'tp-footer' }, bi(FOOTER));

  return {
    showTicket(t) {
      const v = describeTicket(t, lastTicket);
      // While a moved ticket waits, keep the one from before the move, so the line stays up.
      const movedWaiting = t.status === 'waiting' && lastTicket?.id === t.id && lastTicket.serviceId !== t.serviceId;
      if (!movedWaiting) lastTicket = t;
      document.title = v.title;
      screen.dataset.tone = v.tone;
      screen.dataset.status = t.status;
      const children: Node[] = [];
      children.push(el('p', { class: 'tp-status', 'data-testid': 'status' }, bi(v.status)));
      if (v.tone === 'called') {
        children.push(el('h1', { class: 'tp-call', 'data-testid': 'headline' }, bi(v.headline)));
        children.push(el('p', { class: 'tp-number', 'data-testid': 'number' }, t.number));
        if (t.serviceName) children.push(el('p', { class: 'tp-service', 'data-testid': 'service' }, bi(t.serviceName)));
      } else {
        children.push(el('p', { class: 'tp-label' }, bi({ vi: 'Số thứ tự của quý công dân', en: 'Your number' })));
        children.push(el('p', { class: 'tp-number', 'data-testid': 'number' }, t.number));
        if (t.serviceName) children.push(el('p', { class: 'tp-service', 'data-testid': 'service' }, bi(t.serviceName)));
        const headlineAttrs: Record<string, string> = { class: 'tp-headline', 'data-testid': 'headline' };
        if (t.status === 'waiting') headlineAttrs['data-ahead'] = String(t.ahead);
        children.push(el('h1', headlineAttrs, bi(v.headline)));
        if (v.detail) children.push(el('p', { class: 'tp-detail', 'data-testid': 'detail' }, bi(v.detail)));
        const facts: HTMLElement[] = [];
        if (v.wait) facts.push(fact({ vi: 'Thời gian chờ dự kiến', en: 'Estimated wait' }, bi(v.wait), 'wait'));
        if (v.tone === 'waiting') facts.push(fact({ vi: 'Đang phục vụ số', en: 'Now serving' }, el('span', { class: 'tp-serving', 'data-testid': 'now-serving' }, v.nowServing ?? '—'), 'now-serving-fact'));
        if (facts.length) children.push(el('dl', { class: 'tp-facts' }, ...facts));
        if (alertButton && v.tone === 'waiting') children.push(alertButton);
        if (ratingNode && v.tone === 'done') children.push(ratingNode);
      }
      children.push(footer());
      screen.replaceChildren(...children);
    },
    showMessage(kind) {
      const [title, detail]: [Bi, Bi] =
        kind === 'unknown'
          ? [
              { vi: 'Không tìm thấy số thứ tự này', en: 'This ticket was not found' },
              { vi: 'Vui lòng quét lại mã QR trên phiếu, hoặc hỏi cán bộ tại quầy.', en: 'Please scan the QR code on your ticket again, or ask at a counter.' },
            ]
          : [
              { vi: 'Đường dẫn không đúng', en: 'This link is not valid' },
              { vi: 'Vui lòng quét lại mã QR trên phiếu số thứ tự.', en: 'Please scan the QR code on your ticket again.' },
            ];
      document.title = 'Không tìm thấy · Not found';
      screen.dataset.tone = 'unknown';
      screen.dataset.status = kind;
      banner.hidden = true;
      screen.replaceChildren(
        el('div', { class: 'tp-notfound', 'data-testid': 'message' }, el('h1', { class: 'tp-headline' }, bi(title)), el('p', { class: 'tp-detail' }, bi(detail))),
        footer(),
      );
    },
    setRating(node) {
      ratingNode = node;
      if (screen.dataset.tone === 'done' && !node.isConnected) screen.insertBefore(node, screen.lastElementChild);
    },
    setReconnecting(on) {
      banner.hidden = !on;
    },
    offerAlerts(onEnable) {
      const button = el('button', { type: 'button', class: 'tp-alerts', 'data-testid': 'enable-alerts' }, bellIcon(), bi({ vi: 'Bật rung và âm báo khi đến lượt', en: 'Buzz and beep when it is my turn' }));
      button.addEventListener('click', () => {
        onEnable();
        button.replaceChildren(bi({ vi: '✓ Đã bật rung và âm báo', en: 'Buzz and beep are on' }));
        button.disabled = true;
      });
      alertButton = button;
    },
  };
}
