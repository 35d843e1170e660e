import type { PublicTicket } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { aheadText, calledText, describeTicket, shouldAlert, ticketIdFromPath, waitText } from './format.js';

const ID = 'Ab3dEf6hIj9kLm2nOp5q_-';
const t = (over: Partial<PublicTicket> = {}): PublicTicket => ({ id: ID, number: '1005', serviceId: 1, status: 'waiting', ahead: 2, ...over });

describe('ticket page words', () => {
  it('reads the ticket id from /t/<id>, and nothing else', () => {
    expect(ticketIdFromPath(`/t/${ID}`)).toBe(ID);
    expect(ticketIdFromPath(`/t/${ID}/`)).toBe(ID);
    for (const bad of ['/t/', '/t', '/t/short', `/t/${ID}/more`, '/t/%E0%A4%A', `/t/${'x'.repeat(65)}`, '/t/abc%20defghijklmnopq', `/x/${ID}`]) {
      expect(ticketIdFromPath(bad)).toBeNull();
    }
  });

  it('says how many are ahead', () => {
    expect(aheadText(3)).toEqual({ vi: 'Còn 3 người trước quý công dân', en: '3 people ahead of you' });
    expect(aheadText(1)).toEqual({ vi: 'Còn 1 người trước quý công dân', en: '1 person ahead of you' });
    expect(aheadText(0)).toEqual({ vi: 'Quý công dân là người tiếp theo', en: 'You are next' });
  });

  it('rounds the wait into words', () => {
    expect(waitText(undefined)).toBeUndefined();
    expect(waitText(0)).toEqual({ vi: 'Sắp đến lượt', en: 'Almost your turn' });
    expect(waitText(12)).toEqual({ vi: 'Khoảng 12 phút', en: 'About 12 min' });
    expect(waitText(60)).toEqual({ vi: 'Khoảng 1 giờ', en: 'About 1 h' });
    expect(waitText(75)).toEqual({ vi: 'Khoảng 1 giờ 15 phút', en: 'About 1 h 15 min' });
  });

  it('names the counter when called', () => {
    expect(calledText(3)).toEqual({ vi: 'Mời quý công dân đến quầy số 3', en: 'Please go to counter 3' });
    expect(calledText(undefined).vi).toBe('Mời quý công dân đến quầy');
  });

  it('describes every status plainly', () => {
    const waiting = describeTicket(t({ estimatedWaitMinutes: 8, nowServing: '1003' }));
    expect(waiting).toMatchObject({ tone: 'waiting', headline: { vi: 'Còn 2 người trước quý công dân' }, wait: { vi: 'Khoảng 8 phút' }, nowServing: '1003', title: '1005 · Còn 2 người' });
    expect(describeTicket(t({ status: 'called', ahead: 0, counterNumber: 3 }))).toMatchObject({ tone: 'called', headline: { vi: 'Mời quý công dân đến quầy số 3', en: 'Please go to counter 3' } });
    const missed = describeTicket(t({ status: 'no_show', ahead: 0 }));
    expect(missed.status.vi).toBe('Vắng mặt khi gọi');
    expect(missed.headline.vi).toBe('Đã gọi số nhưng quý công dân vắng mặt — vui lòng đến quầy');
    const done = describeTicket(t({ status: 'done', ahead: 0 }));
    expect(done.tone).toBe('done');
    // Served at the counter: nothing claims the dossier was received (it may have been returned).
    expect(done.headline).toEqual({ vi: 'Quý công dân đã được phục vụ tại quầy', en: 'You have been served at the counter' });
    expect(`${done.headline.vi} ${done.detail?.vi}`).not.toContain('tiếp nhận');
    expect(describeTicket(t({ status: 'cancelled', ahead: 0 })).detail?.vi).toContain('lấy số mới');
  });

  it('says a ticket was moved to another service only when the page saw the move', () => {
    const before = t({ serviceName: { vi: 'Đất đai', en: 'Land' } });
    const after = t({ serviceId: 2, ahead: 4, serviceName: { vi: 'Hộ tịch', en: 'Civil status' } });
    const moved = describeTicket(after, before);
    expect(moved.status).toEqual({ vi: 'Đã chuyển lĩnh vực', en: 'Moved to another service' });
    expect(moved.detail?.vi).toBe('Số thứ tự đã được chuyển sang lĩnh vực Hộ tịch; quý công dân tiếp tục chờ theo số này.');
    expect(describeTicket(after).status.vi).toBe('Đang chờ');
    expect(describeTicket(after).detail).toBeUndefined();
    expect(describeTicket(t({ ahead: 1 }), before).detail).toBeUndefined();
  });

  it('uses one register (quý công dân) and one spelling of hủy', () => {
    const all = [t(), t({ status: 'called', counterNumber: 2 }), t({ status: 'done' }), t({ status: 'no_show' }), t({ status: 'cancelled' })].map((x) => JSON.stringify(describeTicket(x)));
    for (const text of all) {
      expect(text).not.toMatch(/\bbạn\b|Bạn|gọi nhỡ|Gọi nhỡ|huỷ|Huỷ/u);
    }
  });

  it('alerts on being called, and on a new counter, not on every later update', () => {
    const called = t({ status: 'called', ahead: 0, counterNumber: 1 });
    expect(shouldAlert(undefined, called)).toBe(true);
    expect(shouldAlert(t(), called)).toBe(true);
    expect(shouldAlert(called, { ...called, nowServing: '1006' })).toBe(false);
    expect(shouldAlert(called, { ...called, counterNumber: 2 })).toBe(true);
    // A recall: same counter, one more call.
    expect(shouldAlert({ ...called, calls: 1 }, { ...called, calls: 2 })).toBe(true);
    expect(shouldAlert({ ...called, calls: 2 }, { ...called, calls: 2, nowServing: '1007' })).toBe(false);
    expect(shouldAlert(t(), t({ ahead: 1 }))).toBe(false);
    expect(shouldAlert(called, t({ status: 'done', ahead: 0 }))).toBe(false);
  });
});
