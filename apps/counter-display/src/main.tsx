import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { CounterApp } from './counter/counter-app.js';
import { DisplayApp } from './display/display-app.js';
import { Bi } from './ui/bi.js';
import './app.css';

// The admin pages carry chart.js; the rating tablet is small: each loads only on its own route.
const AdminApp = lazy(() => import('./admin/admin-app.js').then((m) => ({ default: m.AdminApp })));
const RatingApp = lazy(() => import('./rating/rating-app.js').then((m) => ({ default: m.RatingApp })));

/**
 * One SPA for every staff and public screen; the server answers each page path with this
 * index.html, so the route is just the first path segment.
 */
function App() {
  const route = location.pathname.replace(/\/+$/, '').split('/')[1] ?? '';
  document.documentElement.dataset.route = route;
  switch (route) {
    case 'counter':
      return <CounterApp />;
    case 'display':
      return <DisplayApp />;
    case 'admin':
      return (
        <Suspense fallback={null}>
          <AdminApp />
        </Suspense>
      );
    case 'rating':
      return (
        <Suspense fallback={null}>
          <RatingApp />
        </Suspense>
      );
    default:
      return (
        <main className="page">
          <div className="card">
            <h1>
              <Bi vi="Lượt — Hệ thống xếp hàng" en="Luot — queue system" />
            </h1>
            <ul className="links">
              <li>
                <a href="/counter">
                  <Bi vi="Quầy tiếp nhận" en="Counter" />
                </a>
              </li>
              <li>
                <a href="/admin">
                  <Bi vi="Quản trị" en="Administration" />
                </a>
              </li>
              <li>
                <a href="/display">
                  <Bi vi="Màn hình phòng chờ" en="Waiting-room display" />
                </a>
              </li>
            </ul>
          </div>
        </main>
      );
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const TITLES: Record<string, string> = {
  display: 'Màn hình phòng chờ · Display',
  counter: 'Quầy · Counter',
  admin: 'Quản trị · Admin',
  rating: 'Đánh giá · Rating',
};
document.title = TITLES[location.pathname.split('/')[1] ?? ''] ?? 'Lượt · Luot';
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
