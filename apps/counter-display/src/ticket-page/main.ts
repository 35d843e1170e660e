// Its own path, not the package root: the phone page's bundle stays free of zod and of the queue client.
import { watchTicket } from '@luot/client/ticket-watch';
import type { PublicTicket } from '@luot/protocol';
import { alertCalled, alertsSupported, enableAlerts } from './alert.js';
import { shouldAlert, ticketIdFromPath } from './format.js';
import { phoneRating, type PhoneRating } from './rating.js';
import { mountPage } from './view.js';
import './ticket.css';

/**
 * The citizen's ticket page, /t/<ticket id>: opened by scanning the QR on the ticket. A separate
 * Vite entry with no React, no zod and none of the staff app: plain DOM and @luot/client's
 * ticket watch (socket.io, reconnecting by the same rules as every screen, polling over HTTP while
 * the socket is down).
 */
const root = document.getElementById('app');
if (root) start(root);

function start(root: HTMLElement) {
  const page = mountPage(root);
  const ticketId = ticketIdFromPath(location.pathname);
  if (!ticketId) return page.showMessage('invalid');

  let last: PublicTicket | undefined;
  if (alertsSupported()) page.offerAlerts(enableAlerts);
  // Once served, the citizen may rate the service at the counter, once (rating.ts).
  let rating: PhoneRating | null = null;

  // Same origin: the page is served by the server it talks to.
  const client = watchTicket(ticketId, {
    onTicket(t) {
      const alert = shouldAlert(last, t);
      last = t;
      page.showTicket(t);
      if (alert) alertCalled();
      if (t.status === 'done') {
        if (!rating) {
          rating = phoneRating(ticketId);
          page.setRating(rating.node);
        }
        rating.refresh();
      }
    },
    onUnknown: () => page.showMessage('unknown'),
    onStatus: (status) => page.setReconnecting(status === 'disconnected'),
  });

  // A phone that slept may have missed updates, or lost its socket: ask for the status now.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') client.refresh();
  });
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) client.refresh();
  });
  window.addEventListener('online', () => client.refresh());
}
