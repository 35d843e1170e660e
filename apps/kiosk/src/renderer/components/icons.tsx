import type { ReactElement } from 'react';

/**
 * Service icons, drawn inline (the kiosk works with no internet: no icon fonts, no CDN). Chosen by
 * service code; an unknown service gets the document icon.
 */
const common = { fill: 'none', stroke: 'currentColor', strokeWidth: 2.2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

const ICONS: Record<string, ReactElement> = {
  // land: a plot with a house
  land: (
    <g {...common}>
      <path d="M4 20h24M6 20l3-8h14l3 8" />
      <path d="M12 12V8l4-3 4 3v4" />
      <path d="M2 26h28" />
      <path d="M8 23h2M15 23h2M22 23h2" />
    </g>
  ),
  // civil-status: a family
  'civil-status': (
    <g {...common}>
      <circle cx="10" cy="8" r="3" />
      <circle cx="22" cy="8" r="3" />
      <circle cx="16" cy="16" r="2.4" />
      <path d="M4 26v-6a6 6 0 0 1 12 0M16 20a6 6 0 0 1 12 0v6M12 27v-3a4 4 0 0 1 8 0v3" />
    </g>
  ),
  // certification: a document with a seal
  certification: (
    <g {...common}>
      <path d="M7 3h13l5 5v12M7 3v24h10" />
      <path d="M11 10h9M11 14h9M11 18h5" />
      <circle cx="23" cy="23" r="4" />
      <path d="M21 26.5 20 31l3-1.5 3 1.5-1-4.5" />
    </g>
  ),
  priority: (
    <g {...common}>
      <circle cx="16" cy="5" r="2.6" />
      <path d="M16 9v9h6l3 8M16 13h-5" />
      <path d="M12 17a7 7 0 1 0 9 9" />
    </g>
  ),
};

const fallback = (
  <g {...common}>
    <path d="M8 3h12l5 5v21H8z" />
    <path d="M12 12h9M12 17h9M12 22h6" />
  </g>
);

export function ServiceIcon({ code, size = 96 }: { code: string; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      {ICONS[code] ?? fallback}
    </svg>
  );
}
