//! Integration tests: every exact algorithm against a plain exhaustive reference.

mod budget;
mod helpers;
mod prerequisites;
mod properties;
mod rectangle_files;
mod rectangles_genius;
mod ties;
