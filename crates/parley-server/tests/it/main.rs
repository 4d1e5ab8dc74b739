//! Integration tests of the server: the API through its router, on SQLite always and on
//! PostgreSQL when PARLEY_PG_URL names one.

mod analysis;
mod api;
mod browser;
#[cfg(unix)]
mod browser_forms;
#[cfg(unix)]
mod browser_people;
mod harness;
mod leaks;
mod limits;
mod openapi;
mod people;
mod prerequisites;
mod records;
mod roles;
mod rounds;
mod samples;
mod sign_in;
mod startup;
mod transfer;
