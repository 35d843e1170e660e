import { describe, expect, it } from 'vitest';
import { resolveLayout, ticketStatusUrl, type TicketInput } from './ticket.js';
import { formatIssuedAt, ticketText } from './ticket-text.js';

const ticket: TicketInput = {
  id: 't-1',
  number: '1005',
  serviceName: { vi: 'Lĩnh vực Đất đai', en: 'Land administration' },
  issuedAt: '2025-03-12T01:15:00Z',
  ahead: 3,
  estimatedWaitMinutes: 75,
  priority: false,
  ticketUrl: 'http://luot.local/t/t-1',
};
const layout = resolveLayout({ centerName: 'Trung tâm Phục vụ hành chính công xã Tân Phú', widthMm: 80 });

describe('ticketText', () => {
  it('writes the date in Vietnam time, day first', () => {
    expect(formatIssuedAt('2025-03-12T01:15:00Z', 'Asia/Ho_Chi_Minh')).toBe('12/03/2025 08:15');
    // 23:30 UTC is already the next day in Hanoi: the business day printed must be the local one.
    expect(formatIssuedAt(Date.UTC(2025, 11, 31, 23, 30), 'Asia/Ho_Chi_Minh')).toBe('01/01/2026 06:30');
  });

  it('says how many wait ahead and for how long, Vietnamese first, then English', () => {
    const t = ticketText(ticket, layout);
    expect(t.ahead).toBe('3 người đang chờ trước');
    expect(t.wait).toBe('Thời gian chờ dự kiến: khoảng 1 giờ 15 phút');
    expect(t.english).toBe('Your number 1005: 3 people ahead, about 75 min.');
    expect(t.priority).toBeNull();
  });

  it('handles nobody ahead, no estimate and priority', () => {
    const t = ticketText({ ...ticket, ahead: 0, estimatedWaitMinutes: null, priority: true }, layout);
    expect(t.ahead).toBe('Không có ai đang chờ trước');
    expect(t.wait).toBeNull();
    expect(t.english).toBe('Your number 1005: nobody ahead.');
    expect(t.priority).toMatch(/^ƯU TIÊN/);
  });

  it('composes decomposed Vietnamese (NFD from some databases) before printing', () => {
    const t = ticketText({ ...ticket, serviceName: { vi: 'Hộ tịch'.normalize('NFD'), en: 'Civil status' } }, layout);
    expect(t.serviceVi).toBe('Hộ tịch'.normalize('NFC'));
    expect(t.serviceVi.length).toBe(7);
  });

  it('builds the status page URL the QR code leads to', () => {
    expect(ticketStatusUrl('http://192.168.1.10:8080/', 'abc 1')).toBe('http://192.168.1.10:8080/t/abc%201');
  });

  it('refuses a paper width it cannot lay out', () => {
    expect(() => resolveLayout({ centerName: 'x', widthMm: 76 as 80 })).toThrow(RangeError);
  });
});
