//! Byte-level mutations of valid files, for fuzzing a parser with proptest: each parser's
//! tests give the bytes worth inserting (tokens of its format) and where its syntax has
//! boundaries (where insertions keep more of the file well formed); the edits and how they
//! apply are shared.

use proptest::prelude::*;

/// One change to a file's bytes. Positions are taken modulo the file's length, so any
/// position applies to any file.
#[derive(Debug, Clone)]
pub enum Edit {
    /// XOR one byte with a mask.
    Flip(usize, u8),
    /// Cut the file there.
    Truncate(usize),
    /// Insert bytes anywhere.
    Insert(usize, Vec<u8>),
    /// Insert bytes at a boundary of the format's syntax (see [`apply`]), so that more edits
    /// keep the file well formed and reach deeper than the first syntax error.
    InsertAtBoundary(usize, Vec<u8>),
    /// Delete up to this many bytes.
    Delete(usize, usize),
    /// Repeat up to this many bytes right after themselves.
    Repeat(usize, usize),
}

/// Edits, inserting what the strategies `inserted` makes draw. Flips mostly keep ASCII text
/// ASCII, so that not every case stops at invalid UTF-8.
pub fn edit<S: Strategy<Value = Vec<u8>>>(inserted: impl Fn() -> S) -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<usize>(), 1..=127_u8).prop_map(|(at, mask)| Edit::Flip(at, mask)),
        1 => (any::<usize>(), 128..=255_u8).prop_map(|(at, mask)| Edit::Flip(at, mask)),
        1 => any::<usize>().prop_map(Edit::Truncate),
        2 => (any::<usize>(), inserted()).prop_map(|(at, bytes)| Edit::Insert(at, bytes)),
        8 => (any::<usize>(), inserted()).prop_map(|(at, bytes)| Edit::InsertAtBoundary(at, bytes)),
        2 => (any::<usize>(), 1..40_usize).prop_map(|(at, len)| Edit::Delete(at, len)),
        1 => (any::<usize>(), 1..80_usize).prop_map(|(at, len)| Edit::Repeat(at, len)),
    ]
}

/// Applies an edit. `is_boundary(bytes, index)` says whether an insertion before `index` is
/// at a boundary of the format's syntax; with no boundary, an insertion goes anywhere.
pub fn apply(bytes: &mut Vec<u8>, edit: &Edit, is_boundary: impl Fn(&[u8], usize) -> bool) {
    let at = |position: usize| position % (bytes.len() + 1);
    match edit {
        Edit::Flip(position, mask) if !bytes.is_empty() => {
            let index = position % bytes.len();
            bytes[index] ^= mask;
        }
        Edit::Flip(..) => {}
        Edit::Truncate(position) => bytes.truncate(at(*position)),
        Edit::Insert(position, inserted) => {
            let index = at(*position);
            bytes.splice(index..index, inserted.iter().copied());
        }
        Edit::InsertAtBoundary(position, inserted) => {
            let boundaries: Vec<usize> =
                (0..=bytes.len()).filter(|&index| is_boundary(bytes, index)).collect();
            let index = if boundaries.is_empty() {
                at(*position)
            } else {
                boundaries[position % boundaries.len()]
            };
            bytes.splice(index..index, inserted.iter().copied());
        }
        Edit::Delete(position, len) => {
            let start = at(*position);
            let end = (start + len).min(bytes.len());
            bytes.drain(start..end);
        }
        Edit::Repeat(position, len) => {
            let start = at(*position);
            let end = (start + len).min(bytes.len());
            let copy = bytes[start..end].to_vec();
            bytes.splice(end..end, copy);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_where_they_say() {
        let mut bytes = b"a = 1\nb = 2\n".to_vec();
        apply(&mut bytes, &Edit::Truncate(6), |_, _| false);
        assert_eq!(bytes, b"a = 1\n");
        apply(&mut bytes, &Edit::Repeat(0, 6), |_, _| false);
        assert_eq!(bytes, b"a = 1\na = 1\n");
        apply(&mut bytes, &Edit::Delete(6, 100), |_, _| false);
        assert_eq!(bytes, b"a = 1\n");
        // The only boundary is after the newline: position 0 lands there.
        let after_newline = |bytes: &[u8], index: usize| index > 0 && bytes[index - 1] == b'\n';
        apply(&mut bytes, &Edit::InsertAtBoundary(0, b"c = 3\n".to_vec()), after_newline);
        assert_eq!(bytes, b"a = 1\nc = 3\n");
        apply(&mut bytes, &Edit::Flip(0, 0x20), |_, _| false);
        assert_eq!(bytes, b"A = 1\nc = 3\n");
    }
}
