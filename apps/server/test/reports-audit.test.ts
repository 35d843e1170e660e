import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * The audit log as a director reads it (GET /admin/audit): each action as a Vietnamese sentence
 * with its target by name, the detail as labelled values, and sign-ins apart from changes.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ clock });
});
afterAll(() => s.close());

const admin = (method: string, path: string, body?: unknown) => s.api(method, path, { token: s.adminToken, body });
const audit = async (kind?: string) => (await admin('GET', `/admin/audit?limit=50${kind ? `&kind=${kind}` : ''}`)).body as any[];
const latest = async () => (await audit())[0];

describe('the audit log in Vietnamese', () => {
  it('says what changed, on what, with the values', async () => {
    await admin('PATCH', '/admin/services/1', { targetWaitMinutes: 20, hours: { opensAt: '07:30', closesAt: '17:00', days: [1, 2, 3, 4, 5] } });
    expect(await latest()).toMatchObject({
      action: 'service.update',
      username: 'admin',
      summary: { vi: 'Sửa lĩnh vực «Đất đai»', en: 'Changed the service “Đất đai”' },
      details: [
        { label: { vi: 'Giờ nhận hồ sơ' }, value: { vi: '07:30–17:00, T2 T3 T4 T5 T6', en: '07:30–17:00, Mon Tue Wed Thu Fri' } },
        { label: { vi: 'Thời gian chờ mục tiêu (phút)' }, value: { vi: '20' } },
      ],
    });
    await admin('PATCH', '/admin/services/2', { active: false });
    expect((await latest()).summary.vi).toBe('Tắt lĩnh vực «Hộ tịch»');
    await admin('PATCH', '/admin/counters/2', { serviceIds: [3, 1] });
    expect(await latest()).toMatchObject({ summary: { vi: 'Sửa quầy 2' }, details: [{ label: { vi: 'Lĩnh vực phục vụ (theo thứ tự gọi)' }, value: { vi: 'Chứng thực, Đất đai' } }] });
    await admin('PATCH', '/admin/settings', { printFailure: 'show', announceRepeat: true });
    expect(await latest()).toMatchObject({
      summary: { vi: 'Sửa cài đặt trung tâm' },
      details: [
        { label: { vi: 'Khi kiosk không in được phiếu' }, value: { vi: 'Giữ phiếu, hiện số trên màn hình' } },
        { label: { vi: 'Đọc mỗi lời gọi hai lần' }, value: { vi: 'Có', en: 'Yes' } },
      ],
    });
    const canbo3 = s.server.ctx.repos.users.byUsername('canbo3')!.id;
    await admin('PATCH', `/admin/users/${canbo3}`, { password: 'mat-khau-moi' });
    const reset = await latest();
    expect(reset.summary.vi).toBe('Đặt lại mật khẩu của canbo3');
    expect(JSON.stringify(reset)).not.toContain('mat-khau-moi');
    await admin('PATCH', `/admin/users/${canbo3}`, { disabled: true });
    expect((await latest()).summary.vi).toBe('Khóa tài khoản canbo3');
    await admin('POST', '/devices', { kind: 'kiosk', name: 'Kiosk tầng 2' });
    expect((await latest()).summary).toEqual({ vi: 'Đăng ký kiosk lấy số «Kiosk tầng 2»', en: 'Registered the kiosk “Kiosk tầng 2”' });
  });

  it('keeps sign-ins apart, in words, with the address', async () => {
    await s.login('canbo1');
    await s.api('POST', '/auth/login', { body: { username: 'canbo1', password: 'sai' } });
    const signIns = await audit('sign-ins');
    expect(signIns.every((a) => a.action.startsWith('auth.'))).toBe(true);
    expect(signIns[0]).toMatchObject({ summary: { vi: 'Đăng nhập không thành công với tên «canbo1» (sai mật khẩu)' }, details: expect.arrayContaining([{ label: { vi: 'Địa chỉ', en: 'Address' }, value: { vi: '127.0.0.1', en: '127.0.0.1' } }]) });
    expect(signIns[1].summary.vi).toBe('canbo1 đăng nhập');
    expect((await audit('changes')).some((a) => a.action.startsWith('auth.'))).toBe(false);
    expect((await admin('GET', '/admin/audit?kind=all')).status).toBe(400);
  });

  it('reads an action it does not know as its code, with its values', async () => {
    s.server.ctx.repos.audit.add(clock.now(), null, 'voice.install', null, { clips: 42 });
    expect(await latest()).toMatchObject({ username: null, summary: { vi: 'Thao tác voice.install' }, details: [{ label: { vi: 'clips' }, value: { vi: '42' } }] });
  });
});
