//! The witness of the log's head: a small file outside the database that records the
//! sequence number and hash of the last event each append wrote. The hash chain shows an
//! edited, removed or reordered event, but a log whose last events were deleted and whose
//! head row was rewritten to match is a shorter chain, intact in itself; the witness binds
//! the tail: the log must still hold the event it names, with the same hash.
//!
//! It is kept next to a SQLite file (`parley.db.head`); for PostgreSQL, where it is given.
//! Whoever can change both the database and the witness can still rewrite history: keep
//! backups (`parley db backup`) where the database's users cannot write.

use std::path::{Path, PathBuf};

/// The head a witness records.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Witnessed {
    /// The event's sequence number.
    pub seq: u64,
    /// Its hash.
    pub hash: String,
}

/// Where [`crate::Store::open`] keeps the witness of a database: `FILE.head` next to a
/// SQLite file given by path, none for an in-memory database, a `sqlite:` URL or PostgreSQL.
pub fn default_path(database: &str) -> Option<PathBuf> {
    let is_path = !database.contains("://") && !database.starts_with("sqlite:");
    (is_path && !database.trim().is_empty() && database != ":memory:")
        .then(|| PathBuf::from(format!("{database}.head")))
}

/// Reads a witness; `None` when the file does not exist.
pub fn read(path: &Path) -> std::io::Result<Option<Witnessed>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    let unreadable = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("'{}' is not a witness: expected 'SEQ HASH'", path.display()),
        )
    };
    let (seq, hash) = text.trim().split_once(' ').ok_or_else(unreadable)?;
    let seq = seq.parse().map_err(|_| unreadable())?;
    let is_hash = hash.len() == 64 && hash.bytes().all(|byte| byte.is_ascii_hexdigit());
    if !is_hash {
        return Err(unreadable());
    }
    Ok(Some(Witnessed { seq, hash: hash.to_owned() }))
}

/// Records a head, unless the witness already records a later one (another process may
/// have appended meanwhile). Written to a temporary file and renamed, so a crash leaves the
/// old witness or the new one.
pub fn record(path: &Path, head: &Witnessed) -> std::io::Result<()> {
    if read(path).ok().flatten().is_some_and(|kept| kept.seq >= head.seq) {
        return Ok(());
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, format!("{} {}\n", head.seq, head.hash))?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_witness_records_the_latest_head_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.head");
        assert_eq!(read(&path).unwrap(), None);
        let second = Witnessed { seq: 2, hash: "b".repeat(64) };
        record(&path, &second).unwrap();
        record(&path, &Witnessed { seq: 1, hash: "a".repeat(64) }).unwrap();
        assert_eq!(read(&path).unwrap(), Some(second));
        std::fs::write(&path, "2 not-a-hash\n").unwrap();
        let error = read(&path).unwrap_err();
        assert!(error.to_string().contains("is not a witness"), "{error}");
    }

    #[test]
    fn only_a_sqlite_file_has_a_witness_by_default() {
        assert_eq!(default_path("./parley.db"), Some(PathBuf::from("./parley.db.head")));
        assert_eq!(default_path("postgres://me@db/parley"), None);
        assert_eq!(default_path("sqlite::memory:"), None);
    }
}
