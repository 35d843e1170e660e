/**
 * The four faces, drawn as inline SVG (no image files, nothing fetched): the mouth's curve goes
 * from a wide smile (4) to a frown (1).
 */
const MOUTHS: Record<1 | 2 | 3 | 4, string> = {
  4: 'M30 60 Q50 84 70 60',
  3: 'M33 63 Q50 75 67 63',
  2: 'M34 66 L66 66',
  1: 'M33 72 Q50 58 67 72',
};

export function Face({ score }: { score: 1 | 2 | 3 | 4 }) {
  return (
    <svg className="face" viewBox="0 0 100 100" aria-hidden="true" focusable="false">
      <circle cx="50" cy="50" r="45" className="face-bg" />
      <circle cx="35" cy="40" r="6" className="face-ink" />
      <circle cx="65" cy="40" r="6" className="face-ink" />
      {score === 4 && <path d="M30 60 Q50 84 70 60 Z" className="face-ink" />}
      <path d={MOUTHS[score]} className="face-line" />
    </svg>
  );
}
