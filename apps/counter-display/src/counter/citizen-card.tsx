import { honorific } from '@luot/domain';
import { ROUTES, type CitizenView } from '@luot/protocol';
import { useEffect, useState } from 'react';
import { api, toApiError } from '../lib/api.js';
import { Bi } from '../ui/bi.js';

/**
 * The citizen this counter is serving, when they checked in with their ID card at the kiosk
 * (issue 16): name and year of birth, so the officer greets them by name and fills in the one-stop
 * software without asking again, and how many times the same card came for the same service
 * lately (many come back two or three times for one dossier).
 *
 * Fetched over HTTP for this counter's called ticket only (GET /counters/:id/citizen, the officer
 * holding the counter or an admin): a name never travels in a socket event or a snapshot, and it
 * is gone from this page as soon as the counter moves on. Nothing is kept in storage.
 */
export function CitizenCard({ token, counterId, ticketId, onSignOut }: { token: string; counterId: number; ticketId: string | null; onSignOut: () => void }) {
  const [citizen, setCitizen] = useState<CitizenView | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    setCitizen(null);
    setFailed(false);
    if (!ticketId) return;
    let live = true;
    api(ROUTES.counterCitizen, { token, params: { id: counterId } })
      .then((r) => {
        // The answer is for the ticket on screen now, or it is not shown.
        if (live && r.citizen?.ticketId === ticketId) setCitizen(r.citizen);
      })
      .catch((e: unknown) => {
        if (!live) return;
        const err = toApiError(e);
        if (err.status === 401) onSignOut();
        else setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [ticketId, counterId, token, onSignOut]);

  if (failed) {
    return (
      <p className="muted" data-testid="citizen-card-failed" style={{ margin: '0.5rem 0' }}>
        <Bi vi="Không tải được thông tin công dân đã quét thẻ." en="Could not load the checked-in citizen." />
      </p>
    );
  }
  if (!citizen) return null;
  const h = honorific(citizen.sex);
  const visits = citizen.visits;
  const ordinalEn = visits === 2 ? '2nd' : visits === 3 ? '3rd' : `${visits}th`;
  return (
    <section
      className="citizen-card"
      data-testid="citizen-card"
      data-ticket={citizen.number}
      data-visits={visits}
      aria-live="polite"
      style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: '0.5rem 1.5rem', margin: '0.75rem 0', padding: '0.75rem 1.25rem', background: 'var(--card)', borderRadius: 14, borderLeft: '6px solid var(--brand)' }}
    >
      <span className="muted" style={{ flexBasis: '100%' }}>
        <Bi vi={`Công dân của số ${citizen.number} đã quét thẻ căn cước`} en={`The citizen of ${citizen.number} checked in with their ID card`} />
      </span>
      <strong data-testid="citizen-name" style={{ fontSize: '1.8rem' }}>
        {h.vi} {citizen.fullName}
      </strong>
      <span data-testid="citizen-year" style={{ fontSize: '1.3rem' }}>
        <Bi vi={`Sinh năm ${citizen.yearOfBirth}`} en={`Born ${citizen.yearOfBirth}`} />
      </span>
      <span data-testid="citizen-visits" style={{ fontSize: '1.3rem', fontWeight: visits > 1 ? 700 : 400 }}>
        {visits === 1 ? (
          <Bi vi={`Lần đầu đến cho lĩnh vực này trong ${citizen.visitDays} ngày qua`} en={`First visit for this service in the last ${citizen.visitDays} days`} />
        ) : (
          <Bi vi={`Lần thứ ${visits} đến cho lĩnh vực này trong ${citizen.visitDays} ngày qua`} en={`${ordinalEn} visit for this service in the last ${citizen.visitDays} days`} />
        )}
      </span>
    </section>
  );
}
