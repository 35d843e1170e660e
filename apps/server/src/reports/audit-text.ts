import { toIsoWithOffset } from '@luot/domain';
import type { AuditEntry } from '@luot/protocol';
import type { AuditRow } from '../db/audit.repo.js';
import type { Repos } from '../db/repos.js';

/**
 * The audit log as a director reads it: each action code as a sentence in Vietnamese (and
 * English), its target by name ("lĩnh vực Đất đai", not "service:1"), and its detail as labelled
 * values ("Thời gian chờ mục tiêu (phút): 20"). Names are today's (a renamed service shows its new
 * name); an action this module does not know yet reads "Thao tác <code>" with its values listed,
 * so nothing is ever hidden from the director.
 */
type Bi = { vi: string; en: string };
const bi = (vi: string, en: string = vi): Bi => ({ vi, en });

const YES = bi('Có', 'Yes');
const NO = bi('Không', 'No');
const NONE = bi('(bỏ trống)', '(none)');

/** Labels of detail keys; a key missing here shows as itself. */
const LABEL: Record<string, Bi> = {
  // center
  centerName: bi('Tên trung tâm', 'Center name'),
  timeZone: bi('Múi giờ', 'Time zone'),
  maxPriorityInRow: bi('Số lượt ưu tiên liên tiếp', 'Priority calls in a row'),
  noShowCallBackMinutes: bi('Thời gian cho gọi lại người vắng mặt (phút)', 'No-show call-back window (min)'),
  printFailure: bi('Khi kiosk không in được phiếu', 'When the kiosk cannot print'),
  waitSampleSize: bi('Số lượt tính thời gian chờ dự kiến', 'Services in the wait estimate'),
  tickerText: bi('Dòng chữ chạy trên TV', 'TV news line'),
  ticketFooter: bi('Dòng cuối trên phiếu', 'Ticket footer'),
  announceMaxLagSeconds: bi('Độ trễ tối đa của lời gọi (giây)', 'Announcement max lag (s)'),
  announceRepeat: bi('Đọc mỗi lời gọi hai lần', 'Read each call twice'),
  checkInEnabled: bi('Quét CCCD khi lấy số', 'ID-card check-in'),
  priorityAge: bi('Tuổi được ưu tiên', 'Priority age'),
  checkInNameDays: bi('Số ngày giữ họ tên', 'Days a name is kept'),
  returningVisitorDays: bi('Số ngày giữ mã CCCD đã băm', 'Days an ID hash is kept'),
  ratingScale: bi('Thang đánh giá', 'Rating scale'),
  // services
  code: bi('Mã', 'Code'),
  name: bi('Tên', 'Name'),
  prefix: bi('Ký hiệu số phiếu', 'Number prefix'),
  numberWidth: bi('Số chữ số', 'Digits'),
  hours: bi('Giờ nhận hồ sơ', 'Opening hours'),
  dailyLimit: bi('Giới hạn số phiếu mỗi ngày', 'Daily limit'),
  defaultServiceMinutes: bi('Thời gian phục vụ mặc định (phút)', 'Default service time (min)'),
  targetWaitMinutes: bi('Thời gian chờ mục tiêu (phút)', 'Target wait (min)'),
  sortOrder: bi('Thứ tự hiển thị', 'Sort order'),
  active: bi('Đang hoạt động', 'Active'),
  // counters
  number: bi('Số', 'Number'),
  serviceIds: bi('Lĩnh vực phục vụ (theo thứ tự gọi)', 'Services (in calling order)'),
  priorityMode: bi('Phục vụ ưu tiên', 'Priority mode'),
  // users and devices
  username: bi('Tên đăng nhập', 'Username'),
  role: bi('Vai trò', 'Role'),
  disabled: bi('Khóa tài khoản', 'Disabled'),
  passwordChanged: bi('Đổi mật khẩu', 'Password changed'),
  tokens: bi('Số phiên đã kết thúc', 'Sessions ended'),
  kind: bi('Loại', 'Kind'),
  // sign-ins
  address: bi('Địa chỉ', 'Address'),
  reason: bi('Lý do', 'Reason'),
  usernames: bi('Tên đã thử', 'Names tried'),
  count: bi('Số lần', 'Attempts'),
  from: bi('Từ lúc', 'From'),
  to: bi('Đến lúc', 'To'),
  retryAfterSeconds: bi('Thử lại sau (giây)', 'Retry after (s)'),
  // printers and reprints
  widthMm: bi('Khổ giấy (mm)', 'Paper width (mm)'),
  mode: bi('Chế độ in', 'Print mode'),
  codePage: bi('Bảng mã', 'Code page'),
  kioskIds: bi('Kiosk dùng máy in này', 'Kiosks using it'),
  kioskIdsBefore: bi('Kiosk trước đó', 'Kiosks before'),
  moved: bi('Kiosk chuyển từ máy in khác', 'Kiosks moved from another printer'),
  printer: bi('Máy in', 'Printer'),
  printed: bi('Đã in', 'Printed'),
  // clock
  skewMs: bi('Độ lệch (giây)', 'Skew (s)'),
};

const ENUMS: Record<string, Record<string, Bi>> = {
  printFailure: { cancel: bi('Hủy phiếu', 'Cancel the ticket'), show: bi('Giữ phiếu, hiện số trên màn hình', 'Keep it, show it on screen') },
  role: { admin: bi('quản trị viên', 'administrator'), officer: bi('cán bộ', 'officer') },
  kind: { kiosk: bi('kiosk lấy số', 'kiosk'), display: bi('màn hình', 'display') },
  mode: { raster: bi('ảnh (raster)', 'raster'), text: bi('chữ (text)', 'text') },
  priorityMode: {
    normal: bi('Bình thường', 'Normal'),
    first: bi('Gọi người ưu tiên trước', 'Priority first'),
    only: bi('Chỉ phục vụ người ưu tiên', 'Priority only'),
  },
  reason: {
    'wrong-password': bi('sai mật khẩu', 'wrong password'),
    'unknown-user': bi('không có tài khoản này', 'no such account'),
    disabled: bi('tài khoản đã bị khóa', 'account disabled'),
    'in-flight': bi('quá nhiều lần thử cùng lúc', 'too many attempts at once'),
    'account-and-address': bi('thử sai nhiều lần với tài khoản này từ địa chỉ này', 'too many failures for this account from this address'),
    address: bi('thử sai nhiều lần từ địa chỉ này', 'too many failures from this address'),
    account: bi('thử sai nhiều lần với tài khoản này', 'too many failures for this account'),
  },
};

const DAY_NAMES = ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'];
const DAY_NAMES_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function createAuditText(repos: Repos) {
  const tz = () => repos.settings.center().timeZone;
  /** "20/11/2026 08:05:00", the center's local time. */
  const localTime = (ms: number) => {
    const iso = toIsoWithOffset(ms, tz());
    return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
  };
  const serviceName = (id: number) => repos.services.get(id)?.nameVi ?? `#${id}`;
  const deviceName = (id: number) => repos.devices.get(id)?.name ?? `#${id}`;
  const userName = (id: number) => repos.users.get(id)?.username ?? `#${id}`;
  const counterLabel = (id: number) => {
    const c = repos.counters.get(id);
    return c ? { vi: `quầy ${c.number}`, en: `counter ${c.number}` } : { vi: `quầy #${id}`, en: `counter #${id}` };
  };

  function value(key: string, v: unknown): Bi {
    if (v === null || v === undefined) return key === 'hours' ? bi('Cả ngày', 'Around the clock') : NONE;
    if (typeof v === 'boolean') return v ? YES : NO;
    const known = typeof v === 'string' ? ENUMS[key]?.[v] : undefined;
    if (known) return known;
    if ((key === 'from' || key === 'to') && typeof v === 'number') return bi(localTime(v));
    if (key === 'skewMs' && typeof v === 'number') return bi(String(Math.round(v / 1000)));
    if (key === 'ratingScale' && typeof v === 'number') return bi(`${v} mức`, `${v} levels`);
    if (key === 'serviceIds' && Array.isArray(v)) return bi(v.map((id) => serviceName(Number(id))).join(', ') || '—');
    if ((key === 'kioskIds' || key === 'kioskIdsBefore' || key === 'moved') && Array.isArray(v)) return bi(v.map((id) => deviceName(Number(id))).join(', ') || '—');
    if (key === 'printer' && typeof v === 'string') {
      const m = /^printer:(\d+)$/.exec(v);
      return m ? bi(`máy in #${m[1]}`, `printer #${m[1]}`) : bi('máy in theo LUOT_KIOSK_PRINTER', 'the LUOT_KIOSK_PRINTER printer');
    }
    if (key === 'hours' && typeof v === 'object') {
      const h = v as { opensAt?: string; closesAt?: string; days?: number[] };
      const days = (h.days ?? []).slice().sort((a, b) => a - b);
      return bi(`${h.opensAt}–${h.closesAt}, ${days.map((d) => DAY_NAMES[d]).join(' ')}`, `${h.opensAt}–${h.closesAt}, ${days.map((d) => DAY_NAMES_EN[d]).join(' ')}`);
    }
    if (typeof v === 'object' && !Array.isArray(v) && 'vi' in v && 'en' in v) {
      const n = v as { vi: unknown; en: unknown };
      return bi(`${String(n.vi)} / ${String(n.en)}`);
    }
    if (Array.isArray(v)) return bi(v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', '));
    if (typeof v === 'object') return bi(JSON.stringify(v));
    return bi(String(v));
  }

  function details(detail: unknown): AuditEntry['details'] {
    if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return [];
    return Object.entries(detail as Record<string, unknown>)
      // A password never reaches the log; if one ever did, it is not shown either.
      .filter(([k]) => !/password$/i.test(k))
      .map(([k, v]) => ({ label: LABEL[k] ?? bi(k), value: value(k, v) }));
  }

  /** The target's name: "service:3" -> "Đất đai". */
  function target(t: string | null): { kind: string; id: number } | null {
    const m = t ? /^([a-z-]+):(\d+)$/.exec(t) : null;
    return m ? { kind: m[1]!, id: Number(m[2]) } : null;
  }

  function summary(a: AuditRow): Bi {
    const d = (a.detail && typeof a.detail === 'object' ? a.detail : {}) as Record<string, unknown>;
    const t = target(a.target);
    const id = t?.id ?? 0;
    const keys = Object.keys(d);
    const only = (k: string) => keys.length === 1 && keys[0] === k;
    const who = a.username ?? (t?.kind === 'user' ? userName(id) : null);
    switch (a.action) {
      case 'center.update':
        return bi('Sửa cài đặt trung tâm', 'Changed the center settings');
      case 'service.create':
        return bi(`Thêm lĩnh vực «${serviceName(id)}»`, `Added the service “${serviceName(id)}”`);
      case 'service.update':
        if (only('active')) return d.active ? bi(`Bật lĩnh vực «${serviceName(id)}»`, `Turned on “${serviceName(id)}”`) : bi(`Tắt lĩnh vực «${serviceName(id)}»`, `Turned off “${serviceName(id)}”`);
        return bi(`Sửa lĩnh vực «${serviceName(id)}»`, `Changed the service “${serviceName(id)}”`);
      case 'counter.create': {
        const c = counterLabel(id);
        return bi(`Thêm ${c.vi}`, `Added ${c.en}`);
      }
      case 'counter.update': {
        const c = counterLabel(id);
        if (only('active')) return d.active ? bi(`Bật ${c.vi}`, `Turned on ${c.en}`) : bi(`Tắt ${c.vi}`, `Turned off ${c.en}`);
        return bi(`Sửa ${c.vi}`, `Changed ${c.en}`);
      }
      case 'user.create': {
        const role = ENUMS.role![String(d.role)] ?? bi(String(d.role));
        return bi(`Tạo tài khoản ${String(d.username ?? userName(id))} (${role.vi})`, `Created the account ${String(d.username ?? userName(id))} (${role.en})`);
      }
      case 'user.update': {
        const u = userName(id);
        const changed = keys.filter((k) => !(k === 'passwordChanged' && d[k] === false));
        if (changed.length === 1 && changed[0] === 'passwordChanged') return bi(`Đặt lại mật khẩu của ${u}`, `Reset the password of ${u}`);
        if (changed.length === 1 && changed[0] === 'disabled') return d.disabled ? bi(`Khóa tài khoản ${u}`, `Disabled the account ${u}`) : bi(`Mở khóa tài khoản ${u}`, `Enabled the account ${u}`);
        if (changed.length === 1 && changed[0] === 'role') {
          const role = ENUMS.role![String(d.role)] ?? bi(String(d.role));
          return bi(`Đổi vai trò của ${u} thành ${role.vi}`, `Made ${u} ${role.en}`);
        }
        return bi(`Sửa tài khoản ${u}`, `Changed the account ${u}`);
      }
      case 'user.password-reset':
        // scripts/reset-admin, at the server's console: no signed-in actor.
        return d.created
          ? bi(`Tạo tài khoản quản trị ${userName(id)} từ dòng lệnh (scripts/reset-admin)`, `Created the admin account ${userName(id)} from the command line (scripts/reset-admin)`)
          : bi(`Đặt lại mật khẩu quản trị của ${userName(id)} từ dòng lệnh (scripts/reset-admin)`, `Reset the admin password of ${userName(id)} from the command line (scripts/reset-admin)`);
      case 'user.sessions-revoke':
        return bi(`Kết thúc mọi phiên đăng nhập của ${userName(id)}`, `Signed ${userName(id)} out everywhere`);
      case 'device.create': {
        const kind = ENUMS.kind![String(d.kind)] ?? bi('thiết bị', 'device');
        return bi(`Đăng ký ${kind.vi} «${String(d.name ?? deviceName(id))}»`, `Registered the ${kind.en} “${String(d.name ?? deviceName(id))}”`);
      }
      case 'device.revoke':
        return bi(`Thu hồi thiết bị «${deviceName(id)}»`, `Revoked the device “${deviceName(id)}”`);
      case 'printer.create':
        return bi(`Thêm máy in «${String(d.name ?? `#${id}`)}»`, `Added the printer “${String(d.name ?? `#${id}`)}”`);
      case 'printer.update':
        return bi(`Sửa máy in #${id}`, `Changed printer #${id}`);
      case 'printer.delete':
        return bi(`Xóa máy in «${String(d.name ?? `#${id}`)}»`, `Deleted the printer “${String(d.name ?? `#${id}`)}”`);
      case 'ticket.reprint':
        return d.printed === false ? bi(`In lại phiếu số ${String(d.number ?? '')} (không in được)`, `Reprinted ticket ${String(d.number ?? '')} (failed)`) : bi(`In lại phiếu số ${String(d.number ?? '')}`, `Reprinted ticket ${String(d.number ?? '')}`);
      case 'clock.jump': {
        const s = Math.round(Number(d.skewMs ?? 0) / 1000);
        return s < 0 ? bi(`Đồng hồ máy chủ bị chỉnh lùi ${-s} giây`, `The server clock was set back ${-s} s`) : bi(`Đồng hồ máy chủ bị chỉnh tới ${s} giây`, `The server clock was set forward ${s} s`);
      }
      case 'auth.sign-in':
        return bi(`${who ?? '?'} đăng nhập`, `${who ?? '?'} signed in`);
      case 'auth.sign-out':
        return bi(`${who ?? '?'} đăng xuất`, `${who ?? '?'} signed out`);
      case 'auth.sign-in.failed': {
        const why = ENUMS.reason![String(d.reason)] ?? bi(String(d.reason ?? ''));
        return bi(`Đăng nhập không thành công với tên «${String(d.username ?? '')}» (${why.vi})`, `Failed sign-in as “${String(d.username ?? '')}” (${why.en})`);
      }
      case 'auth.sign-in.throttled': {
        const why = ENUMS.reason![String(d.reason)] ?? bi(String(d.reason ?? ''));
        const n = Number(d.count ?? 1);
        return bi(`Tạm chặn ${n} lần đăng nhập (${why.vi})`, `Blocked ${n} sign-in attempt${n === 1 ? '' : 's'} (${why.en})`);
      }
      default:
        return bi(`Thao tác ${a.action}`, `Action ${a.action}`);
    }
  }

  return {
    describe: (a: AuditRow): Pick<AuditEntry, 'summary' | 'details'> => ({ summary: summary(a), details: details(a.detail) }),
  };
}
export type AuditText = ReturnType<typeof createAuditText>;
