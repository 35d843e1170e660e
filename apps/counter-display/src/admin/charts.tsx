import type { ChartConfiguration } from 'chart.js';
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';

// Only the pieces these two charts use, so the bundle carries no other chart types.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);

/** One chart.js chart on a canvas; rebuilt when its data changes (reports are small). */
function ChartCanvas({ config, label, testId }: { config: ChartConfiguration; label: string; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart-box">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}

export function ArrivalsChart({ perHour }: { perHour: number[] }) {
  const config = useMemo(() => arrivalsConfig(perHour), [perHour]);
  return <ChartCanvas config={config} label="Lượt đến theo giờ / Arrivals per hour" testId="chart-arrivals" />;
}

function arrivalsConfig(perHour: number[]): ChartConfiguration {
  // Only the hours the center could be open, unless tickets came outside them.
  const first = Math.min(7, ...perHour.map((n, h) => (n > 0 ? h : 24)));
  const last = Math.max(17, ...perHour.map((n, h) => (n > 0 ? h : -1)));
  const hours = perHour.map((n, h) => ({ n, h })).filter((x) => x.h >= first && x.h <= last);
  const config: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: hours.map((x) => `${x.h}h`),
      datasets: [{ label: 'Số phiếu / Tickets', data: hours.map((x) => x.n), backgroundColor: '#b3261e' }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
  return config;
}

export const SCORE_LABELS: Record<'4' | '3' | '2' | '1', { vi: string; en: string; color: string }> = {
  '4': { vi: 'Rất hài lòng', en: 'Very satisfied', color: '#1e7b34' },
  '3': { vi: 'Hài lòng', en: 'Satisfied', color: '#6aa84f' },
  '2': { vi: 'Bình thường', en: 'Neutral', color: '#e0a800' },
  '1': { vi: 'Không hài lòng', en: 'Dissatisfied', color: '#b3261e' },
};

export function SatisfactionChart({ counts }: { counts: Record<'4' | '3' | '2' | '1', number> }) {
  const config = useMemo(() => satisfactionConfig(counts), [counts]);
  return <ChartCanvas config={config} label="Mức độ hài lòng / Satisfaction" testId="chart-satisfaction" />;
}

function satisfactionConfig(counts: Record<'4' | '3' | '2' | '1', number>): ChartConfiguration {
  const keys = ['4', '3', '2', '1'] as const;
  const config: ChartConfiguration = {
    type: 'doughnut',
    data: {
      labels: keys.map((k) => `${SCORE_LABELS[k].vi} / ${SCORE_LABELS[k].en}`),
      datasets: [{ data: keys.map((k) => counts[k]), backgroundColor: keys.map((k) => SCORE_LABELS[k].color) }],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'right' } } },
  };
  return config;
}
