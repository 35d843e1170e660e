import type { Alerts } from '../alerts.js';
import { storageFaultOf } from '../errors.js';
import { BackupError } from './backup.js';
import { SERVER_DEVICE_ID, SERVER_DEVICE_NAME } from './storage-health.js';

/**
 * The staff alerts for backups, raised by the server (device 0 "Máy chủ / Server") on the counters
 * and the admin dashboard: a nightly backup that failed would otherwise be one log line nobody
 * reads. Raised when the nightly backup (or its hourly retry) fails; cleared when a backup
 * succeeds, the server's own or one taken with scripts/backup (seen at the next check).
 */
export const BACKUP_ALERT_CODES = { folderMissing: 'backup_folder_missing', failed: 'backup_failed' } as const;

export interface BackupAlerts {
  /** The nightly backup failed; `folderMissing` when the backup folder (the USB stick) is not there. */
  failed(dir: string, err: unknown, folderMissing: boolean): void;
  /** A backup succeeded: every backup alert is over. */
  succeeded(): void;
}

/**
 * Why a backup failed, in words staff can pass on, Vietnamese first: a BackupError's own
 * sentences, a full stick, or a plain "could not write"; never a raw errno or a path (those are
 * in the log and on the admin's backups card).
 */
export function backupFailureReason(err: unknown): { vi: string; en: string } {
  if (err instanceof BackupError && err.vi) return { vi: err.vi, en: err.message };
  if (storageFaultOf(err) === 'full' || /\bfull\b/i.test((err as Error | null)?.message ?? '')) {
    return { vi: 'thư mục sao lưu (USB) đã đầy', en: 'the backup folder (USB stick) is full' };
  }
  return { vi: 'không ghi được bản sao lưu', en: 'the backup could not be written' };
}

export function backupAlerts(alerts: Alerts | undefined): BackupAlerts {
  let raised: string | null = null;
  const send = (code: string, active: boolean, messageVi: string, message: string) =>
    alerts?.report({ deviceId: SERVER_DEVICE_ID, deviceName: SERVER_DEVICE_NAME, code, messageVi, message, active });
  return {
    failed(dir, err, folderMissing) {
      const reason = backupFailureReason(err);
      const code = folderMissing ? BACKUP_ALERT_CODES.folderMissing : BACKUP_ALERT_CODES.failed;
      if (raised && raised !== code) send(raised, false, 'Sao lưu: đã bình thường.', 'Backup: back to normal.');
      raised = code;
      if (folderMissing) {
        send(
          code,
          true,
          `Không sao lưu được: không thấy thư mục sao lưu ${dir} (USB chưa cắm?). Báo bộ phận kỹ thuật; máy chủ thử lại mỗi giờ.`,
          `Backup failed: the backup folder ${dir} is missing (USB stick not plugged in?). Tell IT; the server tries again every hour.`,
        );
      } else {
        send(
          code,
          true,
          `Sao lưu dữ liệu thất bại: ${reason.vi}. Báo bộ phận kỹ thuật; máy chủ thử lại mỗi giờ.`,
          `The backup failed: ${reason.en}. Tell IT; the server tries again every hour.`,
        );
      }
    },
    succeeded() {
      if (!raised) return;
      send(raised, false, 'Sao lưu: đã sao lưu thành công.', 'Backup: a backup succeeded.');
      raised = null;
    },
  };
}
