-- Tokens of three kinds: `api` (a bearer token for API clients, from `parley db add-user`),
-- `sign-in` (a one-time sign-in link, short-lived, spent on use) and `session` (a browser's
-- session, from signing in, revoked at sign-out). Each may expire. See docs/storage.md.

ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
