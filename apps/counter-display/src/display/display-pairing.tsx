import { ROUTES, type LoginResult } from '@luot/protocol';
import { useState } from 'react';
import { ApiError, api } from '../lib/api.js';
import { Bi } from '../ui/bi.js';
import { LoginForm } from '../ui/login-form.js';

/**
 * First start of a TV: an admin signs in once, and the page registers itself as a display
 * device (POST /devices). Only the device token is kept; the admin's session is dropped at once.
 */
export function DisplayPairing({ onPaired }: { onPaired: (token: string) => void }) {
  const [name, setName] = useState('Màn hình phòng chờ');

  async function pair(login: LoginResult) {
    if (login.user.role !== 'admin') {
      throw new ApiError(403, { code: 'FORBIDDEN', message: 'Only an administrator can pair a display.', messageVi: 'Chỉ quản trị viên mới ghép được màn hình.' });
    }
    const device = await api(ROUTES.createDevice, { token: login.token, body: { kind: 'display', name: name.trim() || 'Màn hình' } });
    onPaired(device.token);
  }

  return (
    <main className="page pairing">
      <LoginForm title={<Bi vi="Ghép màn hình phòng chờ" en="Pair the waiting-room display" />} onLogin={pair}>
        <p className="muted">
          Quản trị viên đăng nhập một lần để đăng ký màn hình này. Hoặc mở <code>/display#token=…</code> với mã thiết bị.
          <br />
          <span className="en">
            An administrator signs in once to register this screen. Or open <code>/display#token=…</code> with a device token.
          </span>
        </p>
        <label>
          <Bi vi="Tên màn hình" en="Display name" />
          <input name="deviceName" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </label>
      </LoginForm>
    </main>
  );
}
