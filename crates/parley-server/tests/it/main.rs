//! Integration tests of the server: the API through its router, on SQLite always and on
//! PostgreSQL when PARLEY_PG_URL names one.

mod analysis;
mod api;
mod browser;
mod browser_forms;
mod harness;
mod leaks;
mod limits;
mod prerequisites;
mod records;
mod roles;
mod samples;
mod sign_in;
mod startup;
