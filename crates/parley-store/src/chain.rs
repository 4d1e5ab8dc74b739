//! The hash chain: how an event's hash is computed from its content and the hash of the
//! event before it, and how times are written so that their text sorts in time order.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What the encoding starts with, so that a hash of another kind of record never matches.
const DOMAIN: &[u8] = b"parley-event-v1";

/// An event's hash: SHA-256, as 64 lowercase hex digits, over the domain tag followed by each
/// field as an 8-byte big-endian length and its UTF-8 bytes: `prev_hash`, `seq` (decimal),
/// `recorded_at`, `author`, `kind`, `payload`. Lengths make the encoding unambiguous: no two
/// different events encode to the same bytes.
pub fn event_hash(
    prev_hash: &str,
    seq: u64,
    recorded_at: &str,
    author: &str,
    kind: &str,
    payload: &str,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(DOMAIN);
    let seq = seq.to_string();
    for field in [prev_hash, &seq, recorded_at, author, kind, payload] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// A time as the log writes it: UTC, RFC 3339, always six fractional digits
/// (`2025-11-30T14:03:07.123456Z`), so that text order is time order.
pub fn format_time(time: jiff::Timestamp) -> String {
    format!("{:.6}", truncate_to_micros(time))
}

/// The time truncated to whole microseconds, as the log keeps it.
pub fn truncate_to_micros(time: jiff::Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_microsecond(time.as_microsecond())
        .expect("a timestamp truncated to microseconds is in range")
}

/// The SHA-256 of a secret (an API token), as 64 hex digits: what the database keeps of it.
pub(crate) fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_have_six_fractional_digits() {
        let time: jiff::Timestamp = "2025-11-30T14:03:07Z".parse().unwrap();
        assert_eq!(format_time(time), "2025-11-30T14:03:07.000000Z");
        let time: jiff::Timestamp = "2025-11-30T14:03:07.1234567Z".parse().unwrap();
        assert_eq!(format_time(time), "2025-11-30T14:03:07.123456Z");
        assert_eq!(format_time(time).parse::<jiff::Timestamp>().unwrap(), truncate_to_micros(time));
    }

    #[test]
    fn the_encoding_separates_fields() {
        let one = event_hash(GENESIS_HASH, 1, "t", "ab", "c", "p");
        let two = event_hash(GENESIS_HASH, 1, "t", "a", "bc", "p");
        assert_ne!(one, two);
        assert_eq!(one.len(), 64);
        assert_eq!(one, event_hash(GENESIS_HASH, 1, "t", "ab", "c", "p"));
    }
}
