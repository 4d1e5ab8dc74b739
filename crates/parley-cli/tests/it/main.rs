//! Integration tests of the `parley` command line.
