import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CounterApp } from './counter/counter-app.js';
import { DisplayApp } from './display/display-app.js';
import { Bi } from './ui/bi.js';
import './app.css';

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
document.title = location.pathname.startsWith('/display') ? 'Màn hình phòng chờ · Display' : location.pathname.startsWith('/counter') ? 'Quầy · Counter' : 'Lượt · Luot';
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
