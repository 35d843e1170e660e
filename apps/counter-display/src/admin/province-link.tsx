import { ROUTES, type ProvinceLink } from '@luot/protocol';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';
import { useLoad } from './form-bits.js';
import { useAdmin } from './session.js';

const STATE_TEXT: Record<ProvinceLink['state'], { vi: string; en: string; level: 'ok' | 'warn' | 'bad' }> = {
  ok: { vi: 'Đang gửi bình thường', en: 'Sending normally', level: 'ok' },
  retrying: { vi: 'Mất liên lạc, đang thử lại', en: 'Unreachable, retrying', level: 'warn' },
  refused: { vi: 'Tỉnh từ chối dữ liệu (kiểm tra khoá kết nối)', en: 'Refused by the province (check the key)', level: 'bad' },
  off: { vi: 'Chưa cấu hình', en: 'Not configured', level: 'ok' },
};

/** Reads the link again this often; it changes on its own (retries), not with the queue. */
const POLL_MS = 15_000;

function time(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toLocaleDateString('vi-VN')} ${d.toLocaleTimeString('vi-VN')}`;
}

/**
 * The link to the province roll-up (docs/province.md): whether this center's figures reach the
 * province and how far behind they are. Issuing and calling never wait on it, so a link that is
 * down is a note for the director, not an alarm; nothing shows when no province is configured.
 */
export function ProvinceLinkCard() {
  const { call } = useAdmin();
  const { data: link, error } = useLoad(() => call(ROUTES.province), { everyMs: POLL_MS });
  if (!error && (!link || !link.configured)) return null;
  const text = link ? STATE_TEXT[link.state] : null;
  return (
    <section className="panel-card" data-testid="province-link" data-state={link?.state ?? ''} data-behind={link?.behindEvents ?? ''}>
      <h2>
        <Bi vi="Gửi số liệu lên tỉnh" en="Province link" />
      </h2>
      <ErrorMessage error={error} />
      {link && text && (
        <dl className={`link-state ${text.level}`}>
          <dt>
            <Bi vi="Trạng thái" en="State" />
          </dt>
          <dd>
            <Bi vi={text.vi} en={text.en} />
          </dd>
          <dt>
            <Bi vi="Chưa gửi" en="Behind" />
          </dt>
          <dd>
            {link.behindEvents} <Bi vi="sự kiện" en="events" />
          </dd>
          <dt>
            <Bi vi="Gửi thành công lần cuối" en="Last success" />
          </dt>
          <dd>{time(link.lastSuccessAt)}</dd>
          {link.lastError && (
            <>
              <dt>
                <Bi vi="Lỗi gần nhất" en="Last error" />
              </dt>
              <dd>
                {link.lastError.code}: {link.lastError.message} ({time(link.lastError.at)})
              </dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
