import type { PublicTicket } from '@luot/protocol';
import { io } from 'socket.io-client';
import { alertCalled, alertsSupported, enableAlerts } from './alert.js';
import { shouldAlert, ticketIdFromPath } from './format.js';
import type { TicketSocket } from './ticket-client.js';
import { fetchTicketOverHttp, watchTicket } from './ticket-client.js';
import { mountPage } from './view.js';
import './ticket.css';

/**
 * The citizen's ticket page, /t/<ticket id>: opened by scanning the QR on the ticket. A separate
 * Vite entry with no React, no zod and none of the staff app: plain DOM and socket.io-client.
 */
const root = document.getElementById('app');
if (root) start(root);

function start(root: HTMLElement) {
  const page = mountPage(root);
  const ticketId = ticketIdFromPath(location.pathname);
  if (!ticketId) return page.showMessage('invalid');

  let last: PublicTicket | undefined;
  if (alertsSupported()) page.offerAlerts(enableAlerts);

  const client = watchTicket(
    ticketId,
    {
      onTicket(t) {
        const alert = shouldAlert(last, t);
        last = t;
        page.showTicket(t);
        if (alert) alertCalled();
      },
      onUnknown: () => page.showMessage('unknown'),
      onLink: (link) => page.setReconnecting(link === 'reconnecting'),
    },
    {
      // Same origin: the page is served by the server it talks to. socket.io reconnects by itself.
      openSocket: (id) => io({ auth: { ticketId: id }, reconnectionDelay: 1000, reconnectionDelayMax: 5000 }) as unknown as TicketSocket,
      fetchTicket: fetchTicketOverHttp,
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (h) => window.clearTimeout(h as number | undefined),
    },
  );

  // A phone that slept may have missed updates, or lost its socket: ask for the status now.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') client.refresh();
  });
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) client.refresh();
  });
}
