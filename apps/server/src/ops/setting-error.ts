/**
 * A setting in the environment is wrong. Says so in Vietnamese and in English (the IT person may
 * read either), naming the variable; `message` is the English sentence. The server turns it into
 * a start refusal (exit 2, with where the settings live); the backup and restore commands print
 * both sentences. Listed in docs/operations.md ("Settings").
 */
export class SettingError extends Error {
  constructor(
    /** The environment variable, e.g. PORT. */
    readonly variable: string,
    readonly vi: string,
    en: string,
  ) {
    super(en);
    this.name = 'SettingError';
  }
}

/** Where the IT person edits the settings on this platform (the service's environment). */
export function settingsFileHint(platform: NodeJS.Platform = process.platform): { vi: string; en: string } {
  if (platform === 'win32') {
    return {
      vi: 'Sửa cài đặt trong deploy\\windows\\luot-service.xml (dịch vụ) hoặc deploy\\windows\\luot.env.cmd (tác vụ theo lịch) rồi khởi động lại.',
      en: 'Fix the setting in deploy\\windows\\luot-service.xml (service) or deploy\\windows\\luot.env.cmd (scheduled task) and restart.',
    };
  }
  return { vi: 'Sửa /etc/luot/luot.env rồi khởi động lại (systemctl restart luot).', en: 'Fix /etc/luot/luot.env and restart (systemctl restart luot).' };
}

/**
 * Vietnamese and English for any error thrown while reading the settings: a SettingError as it
 * is; another error (a module that throws a plain Error naming its variable) keeps its English
 * and gets a Vietnamese sentence naming the variable.
 */
export function settingErrorText(err: unknown): { vi: string; en: string } {
  if (err instanceof SettingError) return { vi: err.vi, en: err.message };
  const en = err instanceof Error ? err.message : String(err);
  const variable = /\b(LUOT_[A-Z0-9_]+|PORT|HOST|LOG_LEVEL)\b/.exec(en)?.[1];
  return { vi: variable ? `Giá trị của ${variable} không hợp lệ (xem câu tiếng Anh bên dưới).` : 'Một cài đặt không hợp lệ (xem câu tiếng Anh bên dưới).', en };
}
