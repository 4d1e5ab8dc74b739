//! The tidy checks: every Rust file opens with a `//!` doc line, and no test hides behind the
//! should-panic or ignore attributes (assert the error, or the known-wrong value with a FIXME).

use std::path::{Path, PathBuf};

/// The workspace's root folder.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace root")
        .to_path_buf()
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && !name.starts_with("target") && name != "scripts" {
                rust_files(&path, files);
            }
        } else if name.ends_with(".rs") {
            files.push(path);
        }
    }
}

/// Every breach of the conventions under `root`, one line each, naming the file.
pub(crate) fn problems(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    rust_files(&root.join("xtask"), &mut files);
    files.sort();
    let mut problems = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push(format!("{}: cannot be read", path.display()));
            continue;
        };
        let shown = path.strip_prefix(root).unwrap_or(&path).display().to_string();
        if !text.trim_start_matches('\u{feff}').starts_with("//!") {
            problems.push(format!(
                "{shown}: the first line must be a `//!` doc comment saying what the file is for"
            ));
        }
        // Split so that this file does not match itself.
        for attribute in [concat!("#[should", "_panic"), concat!("#[ig", "nore]")] {
            if text.contains(attribute) {
                problems.push(format!(
                    "{shown}: uses {attribute}: assert the error or the known-wrong value instead"
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_base_is_tidy() {
        let problems = problems(&workspace_root());
        assert!(problems.is_empty(), "tidy problems:\n{}", problems.join("\n"));
    }

    #[test]
    fn a_file_without_a_doc_line_is_reported() {
        let temp = std::env::temp_dir().join(format!("parley-tidy-{}", std::process::id()));
        let crate_dir = temp.join("crates/demo/src");
        std::fs::create_dir_all(&crate_dir).unwrap();
        std::fs::write(crate_dir.join("lib.rs"), "fn main() {}\n").unwrap();
        let found = problems(&temp);
        std::fs::remove_dir_all(&temp).unwrap();
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("crates/demo/src/lib.rs: the first line must be"),
            "{found:?}"
        );
    }
}
