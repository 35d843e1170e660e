-- Issue 12: one user per name however it is typed, look-alike names refused, and sessions that
-- end when a user's rights change.

-- The name's comparison form (usernameKey: NFKC, Unicode case folding, NFC) and its confusable
-- skeleton (usernameSkeleton), both from packages/domain. SQLite cannot compute either, so rows
-- written before this migration are filled in by createUserRepo when the server opens the
-- database (user.repo.ts backfillNameForms), before any sign-in can read them. The old
-- `username ... COLLATE NOCASE` constraint stays: it is a subset of this one.
ALTER TABLE users ADD COLUMN username_key TEXT;
ALTER TABLE users ADD COLUMN username_skeleton TEXT;
CREATE UNIQUE INDEX users_username_key ON users (username_key);
-- Not unique: two legacy users may already share a skeleton; new ones are refused by the app.
CREATE INDEX users_username_skeleton ON users (username_skeleton);

-- A user's session epoch goes up when their password changes, when they are disabled, or when
-- an admin becomes an officer (user.repo.ts). A user token carries the epoch it was issued in and
-- stops resolving once they differ (auth/tokens.ts), whichever code path made the change.
-- Existing tokens were issued in epoch 0.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN user_epoch INTEGER;
UPDATE tokens SET user_epoch = 0 WHERE user_id IS NOT NULL;

-- Revoking every token of a user (sign-out everywhere, disable, password change) reads by user.
CREATE INDEX tokens_user ON tokens (user_id) WHERE user_id IS NOT NULL AND revoked_at IS NULL;

-- Sign-in events (auth.*) are read apart from configuration changes.
CREATE INDEX audit_log_action ON audit_log (action, id);
