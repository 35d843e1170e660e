import type { ReactNode } from 'react';

/** Vietnamese first, English second, on every screen. */
export function Bi({ vi, en, className }: { vi: ReactNode; en: ReactNode; className?: string }) {
  return (
    <span className={`bi ${className ?? ''}`}>
      <span className="vi" lang="vi">
        {vi}
      </span>
      <span className="en" lang="en">
        {en}
      </span>
    </span>
  );
}
