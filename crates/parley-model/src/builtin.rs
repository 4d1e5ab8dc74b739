//! The built-in scenario: the late-2025 talks on ending the war in Ukraine, as a news report
//! describes them. The file is `scenarios/talks-2025.toml`, compiled in.

/// The file name the built-in scenario is reported under.
pub const TALKS_2025_FILE_NAME: &str = "scenarios/talks-2025.toml";

/// The built-in scenario's TOML text.
pub const TALKS_2025_TOML: &str = include_str!("../../../scenarios/talks-2025.toml");
