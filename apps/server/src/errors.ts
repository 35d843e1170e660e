import { ERRORS, errorMessage, type ApiErrorBody, type ErrorCode } from '@luot/protocol';

/** A failure with a code from the protocol catalogue; the HTTP and socket edges turn it into a body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: ApiErrorBody['issues'];

  constructor(code: ErrorCode, detail?: string, issues?: ApiErrorBody['issues'], options?: { cause?: unknown }) {
    super(errorMessage(ERRORS[code], detail), options);
    this.code = code;
    this.status = ERRORS[code].status;
    this.issues = issues;
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { code: this.code, message: this.message, messageVi: ERRORS[this.code].vi };
    if (this.issues) body.issues = this.issues;
    return body;
  }
}

/** Which storage fault an error is: the disk is full, or the data cannot be read or written. */
export type StorageFault = 'full' | 'error';

/**
 * Classifies an error thrown by SQLite (better-sqlite3's SqliteError carries `code`) or by the
 * file system. SQLITE_FULL and ENOSPC/EDQUOT are a full disk; I/O errors, a damaged file, a file
 * that cannot be opened or a disk gone read-only are a storage error. Anything else is null:
 * not the disk's fault.
 */
export function storageFaultOf(err: unknown): StorageFault | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (/^SQLITE_(IOERR|CORRUPT|NOTADB|CANTOPEN|READONLY)/.test(code) || code === 'EIO' || code === 'EROFS') return 'error';
  return null;
}

/**
 * The answer for a storage failure, for every edge (HTTP, socket acks): 503 STORAGE_FULL or
 * STORAGE_ERROR with the catalogue's Vietnamese and English words; null when `err` is something
 * else. The original error rides along as `cause` for the log.
 */
export function storageErrorOf(err: unknown): AppError | null {
  const fault = storageFaultOf(err);
  if (!fault) return null;
  return new AppError(fault === 'full' ? 'STORAGE_FULL' : 'STORAGE_ERROR', undefined, undefined, { cause: err });
}
