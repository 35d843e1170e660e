import type { ApiError } from '../lib/api.js';

/** An API error as the person reads it: Vietnamese first, English second, the code for support. */
export function ErrorMessage({ error, onDismiss }: { error: ApiError | null; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div className="error" role="alert" data-testid="error" data-code={error.code}>
      <div>
        <strong lang="vi">{error.body.messageVi}</strong>
        <span className="en" lang="en">
          {error.body.message} <code>{error.code}</code>
        </span>
      </div>
      {onDismiss && (
        <button type="button" className="dismiss" onClick={onDismiss} aria-label="Đóng / Dismiss">
          ×
        </button>
      )}
    </div>
  );
}
