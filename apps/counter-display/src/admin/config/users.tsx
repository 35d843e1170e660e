import type { UserInfo } from '@luot/protocol';
import { CreateUserBody, ROUTES, UserPatchBody } from '@luot/protocol';
import type { FormEvent } from 'react';
import { useState } from 'react';
import type { ApiError } from '../../lib/api.js';
import { toApiError } from '../../lib/api.js';
import { Bi } from '../../ui/bi.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { Field, Saved, useLoad } from '../form-bits.js';
import { useAdmin, validate } from '../session.js';

const ROLE = { admin: { vi: 'Quản trị', en: 'Administrator' }, officer: { vi: 'Cán bộ quầy', en: 'Counter officer' } } as const;

/** Officers and administrators: create, change role, reset password, disable, sign out everywhere. */
export function UsersConfig() {
  const { call } = useAdmin();
  const { data, error: loadError, reload } = useLoad(() => call(ROUTES.adminUsers));
  const [error, setError] = useState<ApiError | null>(null);
  const [resetting, setResetting] = useState<number | null>(null);
  const [password, setPassword] = useState('');
  const [saved, setSaved] = useState(false);
  const [signedOut, setSignedOut] = useState<{ username: string; revoked: number } | null>(null);

  /** A lost or stolen tablet: every session of the user ends and their screens are cut at once. */
  async function revokeSessions(u: UserInfo) {
    setError(null);
    setSaved(false);
    setSignedOut(null);
    try {
      const r = await call(ROUTES.revokeSessions, { params: { id: u.id } });
      setSignedOut({ username: u.username, revoked: r.revoked });
    } catch (err) {
      setError(toApiError(err));
    }
  }

  async function patch(u: UserInfo, body: unknown) {
    setError(null);
    setSaved(false);
    const v = validate(UserPatchBody, body);
    if (!v.ok) return setError(v.error);
    try {
      await call(ROUTES.updateUser, { params: { id: u.id }, body: v.data });
      setResetting(null);
      setPassword('');
      setSaved(true);
      reload();
    } catch (err) {
      setError(toApiError(err));
    }
  }

  return (
    <section className="config" data-testid="users-config">
      <div className="panel-card">
        <h2>
          <Bi vi="Cán bộ và quản trị viên" en="Officers and administrators" />
        </h2>
        <ErrorMessage error={loadError ?? error} onDismiss={() => setError(null)} />
        <Saved show={saved} />
        {signedOut && (
          <p className="saved" role="status" data-testid="sessions-revoked">
            <span lang="vi">
              Đã đăng xuất {signedOut.username} khỏi mọi thiết bị ({signedOut.revoked} phiên).
            </span>{' '}
            <span className="en" lang="en">
              {signedOut.username} is signed out everywhere ({signedOut.revoked} {signedOut.revoked === 1 ? 'session' : 'sessions'}).
            </span>
          </p>
        )}
        <table className="grid">
          <thead>
            <tr>
              <th>
                <Bi vi="Tên đăng nhập" en="Username" />
              </th>
              <th>
                <Bi vi="Vai trò" en="Role" />
              </th>
              <th>
                <Bi vi="Trạng thái" en="Status" />
              </th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(data ?? []).map((u) => (
              <tr key={u.id} data-testid={`user-row-${u.username}`} className={u.disabled ? 'inactive' : ''}>
                <td>
                  <strong>{u.username}</strong>
                </td>
                <td>
                  <select value={u.role} onChange={(e) => void patch(u, { role: e.target.value })} aria-label="Vai trò / Role" name="role">
                    <option value="officer">
                      {ROLE.officer.vi} / {ROLE.officer.en}
                    </option>
                    <option value="admin">
                      {ROLE.admin.vi} / {ROLE.admin.en}
                    </option>
                  </select>
                </td>
                <td>{u.disabled ? 'Đã khóa / Disabled' : 'Hoạt động / Active'}</td>
                <td className="actions-cell">
                  {resetting === u.id ? (
                    <form
                      className="inline"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void patch(u, { password });
                      }}
                    >
                      <input type="password" name="newPassword" autoComplete="new-password" placeholder="Mật khẩu mới / New password" value={password} onChange={(e) => setPassword(e.target.value)} />
                      <button type="submit" className="small">
                        <Bi vi="Đặt" en="Set" />
                      </button>
                      <button type="button" className="small" onClick={() => setResetting(null)}>
                        <Bi vi="Hủy" en="Cancel" />
                      </button>
                    </form>
                  ) : (
                    <button type="button" className="small" onClick={() => setResetting(u.id)} data-testid={`user-reset-${u.username}`}>
                      <Bi vi="Đặt lại mật khẩu" en="Reset password" />
                    </button>
                  )}
                  <button type="button" className="small" onClick={() => void patch(u, { disabled: !u.disabled })} data-testid={`user-toggle-${u.username}`}>
                    {u.disabled ? <Bi vi="Mở khóa" en="Enable" /> : <Bi vi="Khóa" en="Disable" />}
                  </button>
                  <button type="button" className="small" onClick={() => void revokeSessions(u)} data-testid={`user-revoke-${u.username}`}>
                    <Bi vi="Đăng xuất khỏi mọi thiết bị" en="Sign out everywhere" />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <NewUserForm onDone={reload} />
    </section>
  );
}

function NewUserForm({ onDone }: { onDone: () => void }) {
  const { call } = useAdmin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'officer' | 'admin'>('officer');
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const v = validate(CreateUserBody, { username, password, role });
    if (!v.ok) return setError(v.error);
    try {
      await call(ROUTES.createUser, { body: v.data });
      setUsername('');
      setPassword('');
      setSaved(true);
      onDone();
    } catch (err) {
      setError(toApiError(err));
    }
  }

  return (
    <form className="panel-card form" onSubmit={(e) => void submit(e)} data-testid="user-form" noValidate>
      <h2>
        <Bi vi="Thêm tài khoản" en="New account" />
      </h2>
      <div className="form-grid">
        <Field vi="Tên đăng nhập" en="Username">
          <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} maxLength={64} autoComplete="off" />
        </Field>
        <Field vi="Mật khẩu (ít nhất 4 ký tự)" en="Password (4 characters or more)">
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </Field>
        <Field vi="Vai trò" en="Role">
          <select name="role" value={role} onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'officer')}>
            <option value="officer">
              {ROLE.officer.vi} / {ROLE.officer.en}
            </option>
            <option value="admin">
              {ROLE.admin.vi} / {ROLE.admin.en}
            </option>
          </select>
        </Field>
      </div>
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      {error?.code === 'USERNAME_CONFUSABLE' && (
        <p className="hint" data-testid="username-confusable-hint">
          <span lang="vi">Tên này dễ bị nhầm với một tài khoản đã có (chữ trông giống nhau). Hãy chọn một tên khác hẳn.</span>{' '}
          <span className="en" lang="en">
            This name is easily mistaken for an existing account (letters that look alike). Choose a clearly different one.
          </span>
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="user-create">
          <Bi vi="Tạo tài khoản" en="Create account" />
        </button>
        <Saved show={saved} />
      </div>
    </form>
  );
}
