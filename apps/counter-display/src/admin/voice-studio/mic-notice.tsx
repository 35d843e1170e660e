import { Bi } from '../../ui/bi.js';
import type { MicSupport } from './recorder.js';

/**
 * Why the microphone cannot be used here, and what a center does about it. Browsers give the
 * microphone only to secure pages: https, or http on localhost. The admin page opened from
 * another PC at http://<server's LAN address>:8080 is neither.
 */
export function MicNotice({ support }: { support: MicSupport }) {
  if (support.ok) return null;
  const origin = location.origin;
  const local = `http://localhost:${location.port || '80'}/admin#voice`;
  if (support.reason === 'no-api') {
    return (
      <div className="voice-note warn" role="note" data-testid="mic-notice" data-reason="no-api">
        <Bi
          vi="Trình duyệt này không ghi âm được. Hãy dùng Chrome, Edge hoặc Firefox mới, hoặc tải lên tệp ghi âm bằng nút “Tải tệp lên”."
          en="This browser cannot record. Use a recent Chrome, Edge or Firefox, or upload recordings with “Upload a file”."
        />
      </div>
    );
  }
  return (
    <div className="voice-note warn" role="note" data-testid="mic-notice" data-reason="insecure">
      <p lang="vi">
        <strong>Không dùng được micro trên trang này.</strong> Trình duyệt chỉ cho ghi âm trên trang an toàn (https, hoặc http://localhost); trang đang mở qua{' '}
        <code>{origin}</code>. Cách làm, chọn một:
      </p>
      <ol lang="vi">
        <li>
          Mở trang quản trị ngay trên máy chủ (cắm micro vào máy chủ): <code>{local}</code>
        </li>
        <li>
          Trong Chrome trên máy này: mở <code>chrome://flags/#unsafely-treat-insecure-origin-as-secure</code>, điền <code>{origin}</code>, chọn Enabled, rồi khởi động lại Chrome.
        </li>
        <li>Ghi âm bằng điện thoại hoặc phần mềm khác, rồi tải tệp lên cho từng từ (nút “Tải tệp lên”).</li>
      </ol>
      <p className="en" lang="en">
        The microphone cannot be used on this page: browsers allow recording only on secure pages (https, or http://localhost), and this page is{' '}
        <code>{origin}</code>. Either open the admin page on the server itself (<code>{local}</code>), or in Chrome enable{' '}
        <code>chrome://flags/#unsafely-treat-insecure-origin-as-secure</code> for <code>{origin}</code> and restart Chrome, or record elsewhere and upload the files.
      </p>
    </div>
  );
}
