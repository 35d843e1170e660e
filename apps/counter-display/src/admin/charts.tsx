import type { RatingLevel } from '@luot/protocol';
import { RATING_LEVEL_TEXT, RATING_LEVELS } from '@luot/protocol';
import type { ChartConfiguration } from 'chart.js';
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';
import type { TrendPoint } from './period.js';

// Only the pieces these charts use, so the bundle carries no other chart types.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, LineController, LineElement, PointElement, Tooltip, Legend);

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
  return {
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
}

/** Colours of the five levels, green to dark red (each level keeps its colour on every scale). */
export const LEVEL_COLORS: Record<RatingLevel, string> = {
  very_satisfied: '#1e7b34',
  satisfied: '#6aa84f',
  neutral: '#e0a800',
  dissatisfied: '#d0453b',
  very_dissatisfied: '#8c1d18',
};

export function SatisfactionChart({ levels }: { levels: Record<RatingLevel, number> }) {
  const config = useMemo(() => satisfactionConfig(levels), [levels]);
  return <ChartCanvas config={config} label="Mức độ hài lòng / Satisfaction" testId="chart-satisfaction" />;
}

function satisfactionConfig(levels: Record<RatingLevel, number>): ChartConfiguration {
  const shown = RATING_LEVELS.filter((l) => levels[l] > 0);
  return {
    type: 'doughnut',
    data: {
      labels: shown.map((l) => `${RATING_LEVEL_TEXT[l].vi} / ${RATING_LEVEL_TEXT[l].en}`),
      datasets: [{ data: shown.map((l) => levels[l]), backgroundColor: shown.map((l) => LEVEL_COLORS[l]) }],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'right' } } },
  };
}

export function TrendChart({ points }: { points: TrendPoint[] }) {
  const config = useMemo(() => trendConfig(points), [points]);
  return <ChartCanvas config={config} label="Xu hướng theo ngày / Trend per day" testId="chart-trend" />;
}

function trendConfig(points: TrendPoint[]): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: points.map((p) => p.label),
      datasets: [
        { type: 'bar', label: 'Cấp số / Issued', data: points.map((p) => p.issued), backgroundColor: '#9fb3c8', yAxisID: 'y' },
        { type: 'bar', label: 'Đã phục vụ / Served', data: points.map((p) => p.served), backgroundColor: '#1a5fb4', yAxisID: 'y' },
        {
          type: 'line',
          label: '% hài lòng / % satisfied',
          data: points.map((p) => p.satisfied),
          borderColor: '#1e7b34',
          backgroundColor: '#1e7b34',
          yAxisID: 'pct',
          spanGaps: true,
        },
      ],
    } as ChartConfiguration['data'],
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: 'bottom' } },
      scales: {
        y: { beginAtZero: true, ticks: { precision: 0 }, position: 'left' },
        pct: { min: 0, max: 100, position: 'right', grid: { drawOnChartArea: false }, ticks: { callback: (v) => `${v} %` } },
      },
    },
  };
}
