//! The store's integration tests: one binary. Each test runs on SQLite (a temporary file)
//! and, when `PARLEY_PG_URL` names a PostgreSQL server, on a fresh database there too.

mod access;
mod backup;
mod concurrency;
mod helpers;
mod log;
mod people;
mod prerequisites;
mod read_only;
mod verify;
