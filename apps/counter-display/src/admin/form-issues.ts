/**
 * A form's schema issues in words an officer reads: the field's label as the form shows it, then
 * what is wrong, Vietnamese first and English second ("Số chữ số: tối đa 5" / "Digits in the
 * number: at most 5"). zod's own English text never reaches the Vietnamese line; it is kept only
 * for an issue this file does not know, on the English line.
 */

/** The part of a zod (v4) issue read here. */
export interface IssueLike {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  expected?: string;
  format?: string;
  keys?: readonly string[];
}

export interface Label {
  vi: string;
  en: string;
}

/** Field labels as the admin forms show them, by the schema's field name (or dotted path). */
export const FIELD_LABELS: Readonly<Record<string, Label>> = {
  'name.vi': { vi: 'Tên tiếng Việt', en: 'Name in Vietnamese' },
  'name.en': { vi: 'Tên tiếng Anh', en: 'Name in English' },
  name: { vi: 'Tên', en: 'Name' },
  code: { vi: 'Mã', en: 'Code' },
  prefix: { vi: 'Ký hiệu số phiếu', en: 'Ticket prefix' },
  numberWidth: { vi: 'Số chữ số', en: 'Digits in the number' },
  dailyLimit: { vi: 'Giới hạn số phiếu/ngày', en: 'Daily limit' },
  targetWaitMinutes: { vi: 'Thời gian chờ mục tiêu', en: 'Target wait' },
  defaultServiceMinutes: { vi: 'Thời gian phục vụ dự kiến', en: 'Expected service time' },
  sortOrder: { vi: 'Thứ tự trên kiosk', en: 'Order on the kiosk' },
  active: { vi: 'Đang hoạt động', en: 'Active' },
  hours: { vi: 'Giờ nhận hồ sơ', en: 'Hours' },
  number: { vi: 'Số quầy', en: 'Counter number' },
  serviceIds: { vi: 'Lĩnh vực phục vụ', en: 'Services served' },
  priorityMode: { vi: 'Chế độ ưu tiên', en: 'Priority mode' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  role: { vi: 'Vai trò', en: 'Role' },
  kind: { vi: 'Loại thiết bị', en: 'Device kind' },
  address: { vi: 'Địa chỉ máy in', en: 'Printer address' },
  widthMm: { vi: 'Khổ giấy', en: 'Paper width' },
  codePage: { vi: 'Bảng mã', en: 'Code page' },
  kioskIds: { vi: 'Kiosk', en: 'Kiosks' },
  mode: { vi: 'Chế độ', en: 'Mode' },
  timeZone: { vi: 'Múi giờ', en: 'Time zone' },
  tickerText: { vi: 'Dòng chữ chạy trên TV', en: 'TV news line' },
  ticketFooter: { vi: 'Chân phiếu', en: 'Ticket footer' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
};

/** What a field's format is, said in words, for a field whose pattern the officer cannot see. */
const FORMATS: Readonly<Record<string, Label>> = {
  prefix: { vi: 'tối đa 3 chữ cái in hoa hoặc chữ số', en: 'up to 3 capital letters or digits' },
  code: { vi: 'chỉ chữ thường, chữ số và dấu -', en: 'lowercase letters, digits and - only' },
};

function labelOf(path: readonly PropertyKey[], labels: Readonly<Record<string, Label>>): Label {
  const names = path.map(String);
  // The longest known prefix of the path: "hours.0.open" reads as "Giờ nhận hồ sơ".
  for (let n = names.length; n > 0; n--) {
    const key = names.slice(0, n).join('.');
    const l = labels[key] ?? FIELD_LABELS[key];
    if (l) return l;
  }
  return names.length ? { vi: names.join('.'), en: names.join('.') } : { vi: 'Biểu mẫu', en: 'Form' };
}

/** What is wrong, without the field: "tối đa 5" / "at most 5". */
export function problemOf(i: IssueLike): Label {
  const limit = Number(i.code === 'too_big' ? i.maximum : i.minimum);
  const text = i.origin === 'string';
  const list = i.origin === 'array' || i.origin === 'set';
  switch (i.code) {
    case 'too_big': {
      const n = i.inclusive === false ? limit - 1 : limit;
      if (text) return { vi: `tối đa ${n} ký tự`, en: `at most ${n} characters` };
      if (list) return { vi: `tối đa ${n} mục`, en: `at most ${n} items` };
      return { vi: `tối đa ${n}`, en: `at most ${n}` };
    }
    case 'too_small': {
      const n = i.inclusive === false ? limit + 1 : limit;
      if (text && n <= 1) return { vi: 'không được để trống', en: 'must not be empty' };
      if (text) return { vi: `tối thiểu ${n} ký tự`, en: `at least ${n} characters` };
      if (list) return { vi: `chọn ít nhất ${n}`, en: `choose at least ${n}` };
      return { vi: `tối thiểu ${n}`, en: `at least ${n}` };
    }
    case 'invalid_type':
      if (i.expected === 'int') return { vi: 'phải là số nguyên', en: 'must be a whole number' };
      if (i.expected === 'number') return { vi: 'phải là một số', en: 'must be a number' };
      return { vi: 'chưa nhập hoặc sai kiểu', en: 'missing or of the wrong kind' };
    case 'invalid_format':
    case 'invalid_string':
      return FORMATS[String(i.path[i.path.length - 1])] ?? { vi: 'sai định dạng', en: 'wrong format' };
    case 'invalid_value':
    case 'invalid_enum_value':
      return { vi: 'giá trị không được chấp nhận', en: 'not one of the allowed values' };
    case 'unrecognized_keys':
      return { vi: `trường không được phép (${(i.keys ?? []).join(', ')})`, en: `fields not allowed (${(i.keys ?? []).join(', ')})` };
    case 'not_multiple_of':
      return { vi: 'sai bước giá trị', en: 'not an allowed step' };
    default:
      return { vi: 'giá trị chưa hợp lệ', en: i.message };
  }
}

/** Every issue (the first `max`) as "Label: problem", joined; Vietnamese and English lines. */
export function describeIssues(issues: readonly IssueLike[], labels: Readonly<Record<string, Label>> = {}, max = 6): Label {
  const parts = issues.slice(0, max).map((i) => {
    const l = labelOf(i.path, labels);
    const p = problemOf(i);
    return { vi: `${l.vi}: ${p.vi}`, en: `${l.en}: ${p.en}` };
  });
  return { vi: parts.map((p) => p.vi).join('; '), en: parts.map((p) => p.en).join('; ') };
}
