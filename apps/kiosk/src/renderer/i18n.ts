/**
 * Every word on the kiosk, Vietnamese first. The screen always shows Vietnamese large and
 * English small beneath; the EN toggle swaps which one is large, so an official looking over a
 * foreigner's shoulder can still read it.
 */
export type Lang = 'vi' | 'en';

export const STRINGS = {
  title: { vi: 'Lấy số thứ tự', en: 'Take a number' },
  chooseService: { vi: 'Mời quý công dân chạm vào lĩnh vực cần giải quyết', en: 'Tap the service you need' },
  waiting: { vi: (n: number) => `${n} người đang chờ`, en: (n: number) => `${n} waiting` },
  estimate: { vi: (m: number) => (m <= 0 ? 'Không phải chờ' : `Chờ khoảng ${m} phút`), en: (m: number) => (m <= 0 ? 'No wait' : `About ${m} min`) },
  closedHours: { vi: 'Ngoài giờ tiếp nhận', en: 'Closed now' },
  closedLimit: { vi: 'Đã hết số hôm nay', en: 'No numbers left today' },
  priorityButton: { vi: 'Ưu tiên', en: 'Priority' },
  /**
   * Who counts as priority (Decree 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP; the elderly are
   * people from 60 under the Law on the Elderly). The age is the center's setting (priorityAge,
   * default 60), so the kiosk never promises what the counter will not honour.
   */
  priorityWho: {
    vi: (age: number) => `Người từ ${age} tuổi · Phụ nữ mang thai · Người khuyết tật`,
    en: (age: number) => `Aged ${age} or over · Pregnant women · People with disabilities`,
  },
  priorityChoose: { vi: 'Số ưu tiên: chạm vào lĩnh vực cần giải quyết', en: 'Priority number: tap the service you need' },
  priorityCancel: { vi: 'Quay lại', en: 'Back' },
  priorityBadge: { vi: 'Ưu tiên', en: 'Priority' },
  // ID-card check-in (issue 16): the greeting screen after a scan. The name is shown here only.
  checkedInChoose: { vi: 'Mời Ông/Bà chạm vào lĩnh vực cần giải quyết', en: 'Tap the service you need' },
  priorityByAge: { vi: 'Ông/Bà sẽ nhận số ưu tiên theo tuổi', en: 'You will get a priority number (by age)' },
  checkInCancel: { vi: 'Hủy (không phải tôi)', en: 'Cancel (not me)' },
  printing: { vi: 'Đang in số thứ tự…', en: 'Printing your number…' },
  yourNumber: { vi: 'Số thứ tự của quý công dân', en: 'Your number' },
  ahead: { vi: (n: number) => (n === 0 ? 'Không có ai đang chờ trước quý công dân' : `${n} người đang chờ trước quý công dân`), en: (n: number) => (n === 0 ? 'Nobody is ahead of you' : `${n} ${n === 1 ? 'person is' : 'people are'} ahead of you`) },
  takeTicket: { vi: 'Vui lòng nhận phiếu bên dưới', en: 'Please take your ticket below' },
  scanQr: { vi: 'Quét mã để theo dõi số trên điện thoại', en: 'Scan to follow your number on your phone' },
  done: { vi: 'Xong', en: 'Done' },
  returning: { vi: (s: number) => `Tự quay lại sau ${s} giây`, en: (s: number) => `Returning in ${s} s` },
  /** A screen-only kiosk (no printer configured): the screen is the ticket. Not a fault. */
  rememberNumber: { vi: 'Vui lòng ghi nhớ số này hoặc chụp mã QR', en: 'Please remember this number or photograph the QR' },
  printFailedShown: { vi: 'Máy in đang gặp sự cố. Vui lòng ghi nhớ số này hoặc chụp ảnh mã QR.', en: 'The printer has a problem. Please remember this number or photograph the QR code.' },
  printFailedCancelled: { vi: 'Máy in đang gặp sự cố nên chưa cấp được số. Vui lòng báo cán bộ.', en: 'The printer has a problem, so no number was issued. Please tell a staff member.' },
  printerBanner: { vi: 'Máy in đang gặp sự cố, cán bộ đã được thông báo', en: 'The printer has a problem; staff have been told' },
  paperEnd: { vi: 'Máy in hết giấy', en: 'The printer is out of paper' },
  printerOffline: { vi: 'Máy in không hoạt động', en: 'The printer is not working' },
  tooMany: { vi: 'Thao tác quá nhiều lần. Vui lòng chờ một lát.', en: 'Too many attempts. Please wait a moment.' },
  /** The issue request went unanswered until the kiosk gave up; any ticket it made is cancelled by the kiosk (abandoned-taps.ts). */
  noAnswerNotIssued: {
    vi: 'Máy chủ không trả lời nên chưa cấp được số. Vui lòng lấy số lại hoặc báo cán bộ.',
    en: 'The server did not answer, so no number was issued. Please take a new number or ask a staff member.',
  },
  genericError: { vi: 'Chưa lấy được số. Vui lòng thử lại hoặc báo cán bộ.', en: 'Could not take a number. Please try again or ask a staff member.' },
  connecting: { vi: 'Đang kết nối…', en: 'Connecting…' },
  connectingHint: { vi: 'Máy đang kết nối lại với hệ thống. Vui lòng chờ trong giây lát.', en: 'The kiosk is reconnecting. Please wait a moment.' },
  langToggle: { vi: 'English', en: 'Tiếng Việt' },
  pairTitle: { vi: 'Ghép nối máy lấy số', en: 'Pair this kiosk' },
  pairHint: { vi: 'Quản trị viên đăng nhập để đăng ký máy này với hệ thống.', en: 'An administrator signs in to register this kiosk.' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  kioskName: { vi: 'Tên máy', en: 'Kiosk name' },
  pairButton: { vi: 'Đăng ký máy', en: 'Register kiosk' },
  cancel: { vi: 'Hủy', en: 'Cancel' },
  adminTitle: { vi: 'Quản trị máy lấy số', en: 'Kiosk administration' },
  enterPin: { vi: 'Nhập mã PIN', en: 'Enter PIN' },
  wrongPin: { vi: 'Sai mã PIN', en: 'Wrong PIN' },
  pinLocked: { vi: 'Tạm khoá do nhập sai nhiều lần', en: 'Locked after too many wrong PINs' },
  testPrint: { vi: 'In thử', en: 'Test print' },
  reload: { vi: 'Tải lại', en: 'Reload' },
  quit: { vi: 'Thoát ứng dụng', en: 'Quit the app' },
  close: { vi: 'Đóng', en: 'Close' },
} as const;

export type StringKey = keyof typeof STRINGS;

/** Vietnamese date and time for the header clock, in the center's zone. */
export function formatClock(d: Date, lang: Lang, timeZone = 'Asia/Ho_Chi_Minh'): string {
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone,
    weekday: 'long',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}
