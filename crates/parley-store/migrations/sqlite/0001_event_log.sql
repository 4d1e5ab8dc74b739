-- The event log, its head, users and tokens. The PostgreSQL migration of the same number
-- creates the same tables with the same columns; see docs/storage.md.

CREATE TABLE events (
    seq INTEGER PRIMARY KEY NOT NULL,
    recorded_at TEXT NOT NULL,
    author TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE INDEX events_recorded_at ON events (recorded_at);

-- One row: the last event appended. It is updated in the transaction that appends, so
-- that removing the last events is detected, and (on PostgreSQL) it is the row that
-- writers lock.
CREATE TABLE log_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

INSERT INTO log_head (id, seq, hash, recorded_at)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', '');

CREATE TABLE users (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE tokens (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE INDEX tokens_user_id ON tokens (user_id);
