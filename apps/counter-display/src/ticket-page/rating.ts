import type { RatingForm, RatingLevel, RatingReason, RouteAnswer, RouteInput, Routes } from '@luot/protocol';
import type { Bi } from './format.js';
import { ASK, ASK_NOTE, REASON, SKIP, stepAfterAnswer, stepFor, THANKS, type RatingStep } from './rating-flow.js';

/**
 * The rating on the phone page once the ticket is done: GET /api/v1/tickets/<id>/rating says
 * whether it is open (the ticket's unguessable id is the only authority, as for its status), one
 * tap posts the answer, and after Không hài lòng one more tap posts the reason. Plain DOM and
 * fetch: the page stays small. A refused answer (the tablet was quicker, the window closed) shows
 * the server's words and then what the server says now.
 */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}
const bi = (t: Bi) => el('span', { class: 'tp-bi' }, el('span', { class: 'tp-vi' }, t.vi), el('span', { class: 'tp-en' }, t.en));

/** The phone page's routes, typed by the protocol's table (types only: no zod in this bundle). */
type PhoneRoute = Routes['phoneRatingState'] | Routes['phoneRate'] | Routes['phoneReason'];

async function call<R extends PhoneRoute>(method: R['method'], path: string, body?: RouteInput<R>['body']): Promise<RouteAnswer<R>> {
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = (await res.json().catch(() => null)) as { error?: { messageVi?: string; message?: string } } | null;
  if (!res.ok) throw Object.assign(new Error(data?.error?.message ?? res.statusText), { vi: data?.error?.messageVi ?? 'Không gửi được đánh giá.', en: data?.error?.message ?? 'The rating was not sent.' });
  return data as RouteAnswer<R>;
}

export interface PhoneRating {
  /** The section to show under the finished ticket; empty until there is something to ask. */
  readonly node: HTMLElement;
  /** Reads the rating state again (the ticket became done, the page came back). */
  refresh(): void;
}

export function phoneRating(ticketId: string): PhoneRating {
  const node = el('section', { class: 'tp-rating', 'data-testid': 'rating', 'data-step': 'none', hidden: '' });
  const base = `/tickets/${encodeURIComponent(ticketId)}/rating`;
  let busy = false;

  function show(step: RatingStep, error?: Bi) {
    node.dataset.step = step.kind;
    node.hidden = step.kind === 'none';
    const children: Node[] = [];
    if (error) children.push(el('p', { class: 'tp-rating-error', role: 'alert', 'data-testid': 'rating-error' }, bi(error)));
    if (step.kind === 'ask') {
      children.push(el('h2', { class: 'tp-rating-ask' }, bi(ASK)), el('p', { class: 'tp-rating-note' }, bi(ASK_NOTE)));
      const list = el('div', { class: 'tp-rating-levels' });
      for (const l of step.form.levels) {
        const b = el('button', { type: 'button', class: `tp-level ${l.level}`, 'data-level': l.level }, bi({ vi: l.vi, en: l.en }));
        b.addEventListener('click', () => void answer(step.form, l.level));
        list.append(b);
      }
      children.push(list);
    } else if (step.kind === 'reason') {
      children.push(el('h2', { class: 'tp-rating-ask' }, bi(REASON)));
      const list = el('div', { class: 'tp-rating-levels' });
      for (const r of step.form.reasons) {
        const b = el('button', { type: 'button', class: 'tp-reason', 'data-reason': r.reason }, bi({ vi: r.vi, en: r.en }));
        b.addEventListener('click', () => void reason(r.reason));
        list.append(b);
      }
      const skip = el('button', { type: 'button', class: 'tp-skip', 'data-reason': '' }, bi(SKIP));
      skip.addEventListener('click', () => show({ kind: 'thanks' }));
      children.push(list, skip);
    } else if (step.kind === 'thanks') {
      children.push(el('p', { class: 'tp-rating-thanks', role: 'status', 'data-testid': 'rating-thanks' }, bi(THANKS)));
    }
    node.replaceChildren(...children);
  }

  async function load(error?: Bi) {
    try {
      show(stepFor(await call<Routes['phoneRatingState']>('GET', base)), error);
    } catch {
      // Offline for a moment: the page's own banner says so; the next refresh tries again.
    }
  }

  async function answer(form: RatingForm, level: RatingLevel) {
    if (busy) return; // a second tap while sending counts once
    busy = true;
    node.querySelectorAll('button').forEach((b) => (b.disabled = true));
    try {
      show(stepAfterAnswer(await call<Routes['phoneRate']>('POST', base, { scale: form.scale, level }), form));
    } catch (e) {
      await load(e as Bi);
    } finally {
      busy = false;
    }
  }

  async function reason(r: RatingReason) {
    if (busy) return;
    busy = true;
    node.querySelectorAll('button').forEach((b) => (b.disabled = true));
    try {
      await call<Routes['phoneReason']>('POST', `${base}/reason`, { reason: r });
      show({ kind: 'thanks' });
    } catch (e) {
      show({ kind: 'thanks' }, e as Bi);
    } finally {
      busy = false;
    }
  }

  return {
    node,
    refresh() {
      // Never replace the reasons under the citizen's finger.
      if (!busy && node.dataset.step !== 'reason') void load();
    },
  };
}
