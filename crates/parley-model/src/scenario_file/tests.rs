//! Tests of the scenario format.
