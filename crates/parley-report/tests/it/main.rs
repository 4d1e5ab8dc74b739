//! Integration tests of the report crate: one binary, one module per concern.

mod json_schema;
