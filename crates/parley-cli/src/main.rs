//! The `parley` command line.
fn main() {}
