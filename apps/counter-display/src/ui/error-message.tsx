import type { ApiError } from '../lib/api.js';

/**
 * An API error as the person reads it: the Vietnamese message, the English one under it, and the
 * code last, small and muted, for IT staff ("Mã lỗi / Error code: INVALID_CREDENTIALS"): a code
 * is never part of the sentence an officer or a citizen reads.
 */
export function ErrorMessage({ error, onDismiss }: { error: ApiError | null; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div className="error" role="alert" data-testid="error" data-code={error.code}>
      <div>
        <strong lang="vi">{error.body.messageVi}</strong>
        <span className="en" lang="en">
          {error.body.message}
        </span>
        <small className="error-code" data-testid="error-code">
          Mã lỗi / Error code: <code>{error.code}</code>
        </small>
      </div>
      {onDismiss && (
        <button type="button" className="dismiss" onClick={onDismiss} aria-label="Đóng / Dismiss">
          ×
        </button>
      )}
    </div>
  );
}
