import type { RatingLevel } from '@luot/protocol';

/**
 * One face per level, drawn as inline SVG (no image files, nothing fetched): the mouth goes from
 * a wide open smile (Rất hài lòng) to a deep frown with slanted brows (Rất không hài lòng).
 */
const MOUTHS: Record<RatingLevel, string> = {
  very_satisfied: 'M30 60 Q50 84 70 60',
  satisfied: 'M33 63 Q50 75 67 63',
  neutral: 'M34 66 L66 66',
  dissatisfied: 'M33 72 Q50 58 67 72',
  very_dissatisfied: 'M30 76 Q50 52 70 76',
};

export function Face({ level }: { level: RatingLevel }) {
  return (
    <svg className="face" viewBox="0 0 100 100" aria-hidden="true" focusable="false">
      <circle cx="50" cy="50" r="45" className="face-bg" />
      <circle cx="35" cy="40" r="6" className="face-ink" />
      <circle cx="65" cy="40" r="6" className="face-ink" />
      {level === 'very_satisfied' && <path d="M30 60 Q50 84 70 60 Z" className="face-ink" />}
      {level === 'very_dissatisfied' && <path d="M24 26 L42 32 M76 26 L58 32" className="face-line" />}
      <path d={MOUTHS[level]} className="face-line" />
    </svg>
  );
}
