import { describe, expect, it } from 'vitest';
import { BackupError } from './backup.js';
import { backupFailureReason } from './backup-alerts.js';

describe('why a backup failed, as staff read it on the counters', () => {
  it("gives a BackupError's own sentences, Vietnamese first", () => {
    expect(backupFailureReason(new BackupError('backup copy failed its check', 'bản sao không qua được kiểm tra'))).toEqual({ vi: 'bản sao không qua được kiểm tra', en: 'backup copy failed its check' });
  });

  it('names a full stick in both languages', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(backupFailureReason(full)).toEqual({ vi: 'thư mục sao lưu (USB) đã đầy', en: 'the backup folder (USB stick) is full' });
  });

  it('never shows a raw error or a path: those stay in the log', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/media/luot-backup/luot-2026-11-30-020000.sqlite.partial'"), { code: 'EACCES' });
    const reason = backupFailureReason(denied);
    expect(reason).toEqual({ vi: 'không ghi được bản sao lưu', en: 'the backup could not be written' });
    expect(JSON.stringify(reason)).not.toMatch(/EACCES|\/media/);
  });
});
