//! "Did you mean": the known word nearest to a misspelt id, keyword or field name.

/// The candidate nearest to `text` by edit distance (Damerau-Levenshtein, so a swap of two
/// letters counts once), when it is near enough to be a slip: at most a third of the
/// longer word's letters (so words of one or two letters get no suggestion). Ties go to the
/// first candidate.
pub(crate) fn nearest<'a>(
    text: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == text {
            continue;
        }
        // A word cut short (`finance` for `finance-and-reconstruction`) is as near as a slip.
        let distance = if text.chars().count() >= 3 && candidate.starts_with(text) {
            1
        } else {
            strsim::damerau_levenshtein(&text.to_lowercase(), &candidate.to_lowercase())
        };
        let limit = (text.chars().count().max(candidate.chars().count())) / 3;
        if distance <= limit.max(usize::from(distance == 1 && candidate.starts_with(text)))
            && best.is_none_or(|(best_distance, _)| distance < best_distance)
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// ` (did you mean 'x'?)` after a misspelt word, or nothing when no candidate is near it.
pub fn did_you_mean<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(text, candidates)
        .map_or_else(String::new, |candidate| format!(" (did you mean '{candidate}'?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_find_the_nearest_word_and_strangers_find_none() {
        assert_eq!(nearest("rusia", ["russia", "ukraine"]), Some("russia"));
        assert_eq!(nearest("stance", ["stances", "party"]), Some("stances"));
        assert_eq!(nearest("contsted", ["contested", "confirmed"]), Some("contested"));
        assert_eq!(nearest("Russia", ["russia"]), Some("russia"));
        assert_eq!(nearest("colour", ["id", "claimant", "status"]), None);
        assert_eq!(nearest("x", ["a", "b"]), None);
        assert_eq!(nearest("hors", ["hours"]), Some("hours"));
        assert_eq!(
            nearest("finance", ["finance-and-reconstruction", "other"]),
            Some("finance-and-reconstruction")
        );
        assert_eq!(nearest("fi", ["finance-and-reconstruction"]), None);
        assert_eq!(nearest("russia", ["russia"]), None);
        assert_eq!(
            did_you_mean("wrokable", ["workable", "acceptable"]),
            " (did you mean 'workable'?)"
        );
        assert_eq!(did_you_mean("zzz", ["workable"]), "");
    }
}
