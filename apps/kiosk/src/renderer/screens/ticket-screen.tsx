import type { Service, Ticket } from '@luot/protocol';
import { useEffect, useState } from 'react';
import { STRINGS } from '../i18n.js';
import { Bi } from '../components/bilingual.js';
import { Qr } from '../components/qr.js';

export type TicketView =
  /** screen-only: the kiosk has no printer at all (deliberately), so the screen is the ticket. */
  | { kind: 'printed' | 'shown' | 'screen-only'; ticket: Ticket; service: Service; qrUrl: string; printCode?: string }
  | { kind: 'not-issued'; service: Service; printCode: string }
  | { kind: 'refused'; service: Service; message: string; messageVi: string };

/** After a tap: the number, who is ahead, the QR; or plainly why there is no number. */
export function TicketScreen({ view, returnMs, onDone }: { view: TicketView; returnMs: number; onDone(): void }) {
  const [left, setLeft] = useState(Math.ceil(returnMs / 1000));
  useEffect(() => {
    const started = Date.now();
    const t = setInterval(() => setLeft(Math.max(0, Math.ceil((returnMs - (Date.now() - started)) / 1000))), 250);
    return () => clearInterval(t);
  }, [returnMs]);

  const done = (
    <div className="ticket-footer">
      <button type="button" className="done" data-testid="done" onPointerDown={onDone}>
        <Bi {...STRINGS.done} />
      </button>
      <div className="returning">
        <Bi vi={STRINGS.returning.vi(left)} en={STRINGS.returning.en(left)} />
      </div>
    </div>
  );

  if (view.kind === 'not-issued' || view.kind === 'refused') {
    const msg = view.kind === 'refused' ? { vi: view.messageVi, en: view.message } : STRINGS.printFailedCancelled;
    return (
      <main className="ticket-screen failed" data-testid="ticket-failed" data-kind={view.kind}>
        <div className="failed-icon" aria-hidden="true">!</div>
        {view.kind === 'not-issued' && <PrinterProblem code={view.printCode} />}
        <p className="failed-message">
          <Bi {...msg} />
        </p>
        {done}
      </main>
    );
  }

  const ahead = view.ticket.ahead ?? 0;
  return (
    <main className={`ticket-screen ${view.kind}`} data-testid="ticket-screen" data-kind={view.kind}>
      {view.kind === 'shown' && (
        <div className="banner warn">
          {view.printCode && <PrinterProblem code={view.printCode} />}
          <Bi {...STRINGS.printFailedShown} />
        </div>
      )}
      <div className="ticket-card">
        <div className="ticket-label">
          <Bi {...STRINGS.yourNumber} />
        </div>
        <div className="ticket-number" data-testid="ticket-number">
          {view.ticket.number}
        </div>
        {view.ticket.priority && (
          <div className="ticket-priority">
            <Bi {...STRINGS.priorityBadge} />
          </div>
        )}
        <div className="ticket-service">
          <Bi vi={view.service.name.vi} en={view.service.name.en} />
        </div>
        <div className="ticket-ahead" data-testid="ticket-ahead">
          <Bi vi={STRINGS.ahead.vi(ahead)} en={STRINGS.ahead.en(ahead)} />
        </div>
      </div>
      <div className="ticket-qr">
        <Qr text={view.qrUrl} px={280} />
        <Bi {...STRINGS.scanQr} className="qr-hint" />
      </div>
      {view.kind === 'screen-only' && (
        <div className="remember" data-testid="remember">
          <Bi {...STRINGS.rememberNumber} />
        </div>
      )}
      {view.kind === 'printed' && (
        <div className="take-ticket">
          <Bi {...STRINGS.takeTicket} />
          <span className="arrow" aria-hidden="true">
            ↓
          </span>
        </div>
      )}
      {done}
    </main>
  );
}

function PrinterProblem({ code }: { code: string }) {
  const s = code === 'paper_end' ? STRINGS.paperEnd : STRINGS.printerOffline;
  return (
    <div className="printer-problem" data-testid="printer-problem" data-code={code}>
      <Bi {...s} />
    </div>
  );
}
