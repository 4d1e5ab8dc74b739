-- People and access from the pages: invitations (one-time links, kept hashed like tokens),
-- revoked users, and when each token was last used. Every change of access (an invitation,
-- its acceptance or withdrawal, a revocation, a change of role) is also an `access` event
-- of the log. The PostgreSQL migration of the same number makes the same
-- changes; see docs/storage.md.

ALTER TABLE users ADD COLUMN revoked_at TEXT;
ALTER TABLE tokens ADD COLUMN last_used_at TEXT;

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    invited_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    withdrawn_at TEXT
);
