//! The built-in scenario: the late-2025 talks on ending the war in Ukraine, as a news report
//! describes them. The file is `scenarios/talks-2025.toml`, compiled in.

/// The file name the built-in scenario is reported under.
pub const TALKS_2025_FILE_NAME: &str = "scenarios/talks-2025.toml";

/// The built-in scenario's TOML text.
pub const TALKS_2025_TOML: &str = include_str!("../../../scenarios/talks-2025.toml");

/// A later position to append to [`TALKS_2025_TOML`]: Ukraine's rejection of ceding Donbas
/// read as a strong objection rather than a red line, the weaker of the two readings of
/// "such terms were immediately rejected" (docs/builtin-scenario.md). The built-in case has
/// no agreement zone on its own readings; with this one it has, which is what examples and
/// tests of zones, packages and budgets need.
pub const WEAKER_DONBAS_READING: &str = r#"
[[positions]]
party = "ukraine"
issue = "donbas"
date = 2025-12-03
importance = "critical"
confidence = "inferred"
stances = { cede-all = "strong-objection", no-cession = "preferred" }
cites = ["report#American Messaging and Mixed Reactions"]
"#;
