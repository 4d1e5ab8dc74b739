//! Reading the shared ANAC scenario folders, which live beside the repository, not in it.
#![allow(clippy::disallowed_methods, reason = "tests read the shared scenario files")]

use std::path::{Path, PathBuf};

/// The root of the shared GENIUS scenarios, or `None` (after printing a note) where this
/// checkout has no `../shared` beside it.
pub(crate) fn genius_root() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios/genius");
    if root.is_dir() {
        return Some(root);
    }
    #[allow(clippy::print_stderr, reason = "a skipped test says why")]
    {
        eprintln!("note: {} is absent, skipping the real GENIUS scenarios", root.display());
    }
    None
}

/// One scenario folder: its path relative to the root, and each XML file's name (relative to
/// the root, so that errors name the folder) and text.
pub(crate) struct Folder {
    pub(crate) name: String,
    pub(crate) files: Vec<(String, String)>,
}

/// Every folder under `root` that holds XML files, sorted by path; files sorted by name.
pub(crate) fn scenario_folders(root: &Path) -> Vec<Folder> {
    let mut res = Vec::new();
    collect_folders(root, root, &mut res);
    res.sort_by(|left, right| left.name.cmp(&right.name));
    res
}

fn collect_folders(root: &Path, folder: &Path, res: &mut Vec<Folder>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", folder.display()))
        .map(|entry| entry.expect("a readable folder entry").path())
        .collect();
    entries.sort();
    let name = folder.strip_prefix(root).expect("inside the root").to_string_lossy().into_owned();
    let mut files = Vec::new();
    for path in entries {
        if path.is_dir() {
            collect_folders(root, &path, res);
        } else if path.extension().is_some_and(|extension| extension == "xml") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
            let file_name = path.strip_prefix(root).expect("inside the root");
            files.push((file_name.to_string_lossy().into_owned(), text));
        }
    }
    if !files.is_empty() {
        res.push(Folder { name, files });
    }
}

/// A folder of `../shared/scenarios` (such as `genius-more`), or `None` (after printing a
/// note) where it is absent.
pub(crate) fn shared_scenarios(name: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios").join(name);
    if root.is_dir() {
        return Some(root);
    }
    #[allow(clippy::print_stderr, reason = "a skipped test says why")]
    {
        eprintln!("note: {} is absent, skipping its scenarios", root.display());
    }
    None
}

/// An error about one file's content names that file and a line and column inside it.
pub(crate) fn check_located(
    error: &parley_genius::Error,
    files: &[(String, Vec<u8>)],
) -> Result<(), proptest::test_runner::TestCaseError> {
    use proptest::test_runner::TestCaseError;
    let Some(location) = error.location() else {
        return Err(TestCaseError::fail(format!("no position: {error}")));
    };
    let Some((_, bytes)) = files.iter().find(|(name, _)| *name == location.file) else {
        return Err(TestCaseError::fail(format!("names no given file: {error}")));
    };
    let n_lines = bytes.iter().filter(|&&byte| byte == b'\n').count() + 1;
    if location.line >= 1 && location.line as usize <= n_lines && location.column >= 1 {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!("{error} outside {n_lines} lines")))
    }
}
