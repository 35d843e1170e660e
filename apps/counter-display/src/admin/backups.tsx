import { ROUTES, type BackupStatus, type DeviceAlert } from '@luot/protocol';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';
import { useLoad } from './form-bits.js';
import { useAdmin } from './session.js';

/** Read again this often: a USB stick pulled out shows within this time even without an alert. */
const POLL_MS = 15_000;

/** Changes whenever the server raises or clears a backup alert (ops/backup-alerts.ts): the card reads again at once. */
export function backupAlertKey(alerts: DeviceAlert[]): string {
  return alerts
    .filter((a) => a.code.startsWith('backup_'))
    .map((a) => `${a.code} ${a.at} ${a.active}`)
    .join('|');
}

function time(iso: string): string {
  const d = new Date(iso);
  return `${d.toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' })} ${d.toLocaleDateString('vi-VN')}`;
}

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

type Level = 'ok' | 'bad';

/** The card's state: not set, the stick missing, the last attempt failed, or working. */
function stateOf(b: BackupStatus): { state: 'unset' | 'folder_missing' | 'failed' | 'ok'; level: Level } {
  if (!b.folder) return { state: 'unset', level: 'bad' };
  if (!b.folderPresent) return { state: 'folder_missing', level: 'bad' };
  if (b.lastError) return { state: 'failed', level: 'bad' };
  return { state: 'ok', level: 'ok' };
}

/**
 * The nightly backup (docs/operations.md, "Backups"): the folder, the newest backup's time and
 * size, the next run, and in red what is wrong and what to do, so the director and the IT person
 * see at a glance that backups work. Read again on every backup alert and every 15 s.
 */
export function BackupsCard({ refreshKey }: { refreshKey: string }) {
  const { call } = useAdmin();
  const { data: status, error } = useLoad(() => call(ROUTES.backups), { everyMs: POLL_MS, key: refreshKey });
  const s = status ? stateOf(status) : null;
  return (
    <section className="panel-card backups" data-testid="backups" aria-live="polite" data-state={s?.state ?? ''}>
      <h2>
        <Bi vi="Sao lưu" en="Backups" />
      </h2>
      <ErrorMessage error={error} />
      {status && s && (
        <>
          {s.state === 'unset' && (
            <p className="backup-problem" data-testid="backup-problem">
              <Bi vi="Chưa đặt thư mục sao lưu (LUOT_BACKUP_DIR) — dữ liệu chưa được sao lưu." en="No backup folder set (LUOT_BACKUP_DIR): nothing is backed up." />
            </p>
          )}
          {s.state === 'folder_missing' && (
            <p className="backup-problem" data-testid="backup-problem">
              <Bi
                vi={`Không thấy thư mục sao lưu ${status.folder}. Cắm lại USB sao lưu; máy chủ tự thử lại mỗi giờ.`}
                en={`The backup folder ${status.folder} is missing. Plug the backup USB stick back in; the server tries again every hour.`}
              />
            </p>
          )}
          {s.state === 'failed' && status.lastError && (
            <p className="backup-problem" data-testid="backup-problem">
              <Bi
                vi={`Sao lưu thất bại lúc ${time(status.lastError.at)}: ${status.lastError.message}. Kiểm tra USB sao lưu (còn chỗ trống, không bị khoá ghi) và báo bộ phận kỹ thuật; máy chủ tự thử lại mỗi giờ.`}
                en={`The backup failed at ${time(status.lastError.at)}: ${status.lastError.message}. Check the backup USB stick (free space, not write-protected) and tell IT; the server tries again every hour.`}
              />
            </p>
          )}
          {status.folder && (
            <dl className={`link-state ${s.level}`}>
              <dt>
                <Bi vi="Thư mục" en="Folder" />
              </dt>
              <dd data-testid="backup-folder">{status.folder}</dd>
              <dt>
                <Bi vi="Bản sao lưu mới nhất" en="Last backup" />
              </dt>
              <dd data-testid="backup-last">
                {status.lastBackup ? (
                  <span title={status.lastBackup.file}>
                    {time(status.lastBackup.at)} · {size(status.lastBackup.bytes)}
                  </span>
                ) : (
                  <Bi vi="Chưa có" en="None yet" />
                )}
              </dd>
              <dt>
                <Bi vi="Lần tới" en="Next" />
              </dt>
              <dd data-testid="backup-next">
                <Bi vi={`${status.at} hằng ngày (giữ ${status.keep} bản)`} en={`daily at ${status.at} (${status.keep} kept)`} />
              </dd>
            </dl>
          )}
        </>
      )}
    </section>
  );
}
