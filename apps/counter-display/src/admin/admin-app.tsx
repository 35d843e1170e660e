import type { LoginResult } from '@luot/protocol';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../lib/api.js';
import { Bi } from '../ui/bi.js';
import { LoginForm } from '../ui/login-form.js';
import { AuditLog } from './audit-log.js';
import { CenterSettingsForm } from './config/center-form.js';
import { CheckInSettingsForm } from './config/check-in-form.js';
import { CountersConfig } from './config/counters.js';
import { DevicesConfig } from './config/devices.js';
import { PrintersConfig } from './config/printers.js';
import { ServicesConfig } from './config/services.js';
import { UsersConfig } from './config/users.js';
import { Dashboard } from './dashboard.js';
import { Reports } from './reports.js';
import { AdminSessionProvider, loadSession, saveSession, signOutOnServer, useAdmin } from './session.js';
import { VoiceStudio } from './voice-studio/voice-studio.js';
import './admin.css';

const TABS = [
  { id: 'dashboard', vi: 'Tổng quan', en: 'Dashboard' },
  { id: 'center', vi: 'Trung tâm', en: 'Center' },
  { id: 'check-in', vi: 'Quét CCCD', en: 'ID check-in' },
  { id: 'services', vi: 'Lĩnh vực', en: 'Services' },
  { id: 'counters', vi: 'Quầy', en: 'Counters' },
  { id: 'users', vi: 'Cán bộ', en: 'Officers' },
  { id: 'devices', vi: 'Thiết bị', en: 'Devices' },
  { id: 'printers', vi: 'Máy in', en: 'Printers' },
  { id: 'reports', vi: 'Báo cáo', en: 'Reports' },
  { id: 'audit', vi: 'Nhật ký', en: 'Audit log' },
  { id: 'voice', vi: 'Giọng đọc', en: 'Voice' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** The tab lives in the URL fragment (/admin#reports): the server serves /admin only. */
function tabFromHash(): TabId {
  const h = location.hash.replace(/^#/, '');
  return TABS.find((t) => t.id === h)?.id ?? 'dashboard';
}

/** /admin: the director's pages. Admins only; an officer's sign-in is refused here. */
export function AdminApp() {
  const [login, setLogin] = useState<LoginResult | null>(loadSession);
  // The server ended the session (401): forget it.
  const signOut = useCallback(() => {
    saveSession(null);
    setLogin(null);
  }, []);
  // The admin pressed "Sign out": end the token on the server too.
  const signOutHere = useCallback(() => {
    if (login) signOutOnServer(login.token);
    signOut();
  }, [login, signOut]);

  if (!login) {
    return (
      <main className="page">
        <LoginForm
          title={<Bi vi="Quản trị trung tâm" en="Center administration" />}
          onLogin={(r) => {
            if (r.user.role !== 'admin') {
              throw new ApiError(403, {
                code: 'FORBIDDEN',
                messageVi: 'Tài khoản này không có quyền quản trị. Cán bộ quầy dùng trang /counter.',
                message: 'This account is not an administrator. Counter officers use /counter.',
              });
            }
            saveSession(r);
            setLogin(r);
          }}
        />
      </main>
    );
  }
  return (
    <AdminSessionProvider login={login} onSignedOut={signOut}>
      <AdminShell onSignOut={signOutHere} />
    </AdminSessionProvider>
  );
}

function AdminShell({ onSignOut }: { onSignOut: () => void }) {
  const { username } = useAdmin();
  const [tab, setTab] = useState<TabId>(tabFromHash);
  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className="admin" data-testid="admin" data-tab={tab}>
      <header className="admin-head">
        <strong className="title">
          <Bi vi="Quản trị Lượt" en="Luot administration" />
        </strong>
        <nav className="tabs" aria-label="Mục / Sections">
          {TABS.map((t) => (
            <a key={t.id} href={`#${t.id}`} className={t.id === tab ? 'active' : ''} data-tab={t.id} aria-current={t.id === tab ? 'page' : undefined}>
              <Bi vi={t.vi} en={t.en} />
            </a>
          ))}
        </nav>
        <div className="who">
          <span>{username}</span>
          <button type="button" onClick={onSignOut} data-testid="sign-out">
            <Bi vi="Đăng xuất" en="Sign out" />
          </button>
        </div>
      </header>
      <main className="admin-body">
        {tab === 'dashboard' && <Dashboard />}
        {tab === 'center' && <CenterSettingsForm />}
        {tab === 'check-in' && <CheckInSettingsForm />}
        {tab === 'services' && <ServicesConfig />}
        {tab === 'counters' && <CountersConfig />}
        {tab === 'users' && <UsersConfig />}
        {tab === 'devices' && <DevicesConfig />}
        {tab === 'printers' && <PrintersConfig />}
        {tab === 'reports' && <Reports />}
        {tab === 'audit' && <AuditLog />}
        {tab === 'voice' && <VoiceStudio />}
      </main>
    </div>
  );
}
