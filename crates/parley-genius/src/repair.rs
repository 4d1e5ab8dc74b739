//! The XML slips that GENIUS's own lenient reader accepts and a conforming XML parser does
//! not, mended before parsing so that such files read as GENIUS reads them: a bare `&` (as in
//! `R&D`), an XML declaration after blank lines, and attributes with no space between them.
//!
//! A text without these slips is parsed as it is. A mended one keeps its line structure: the
//! declaration is blanked with spaces, and the characters inserted elsewhere are recorded so
//! that every position reported is a position in the original text.

use std::borrow::Cow;

use roxmltree::{Document, TextPos};

/// The most mends of one kind-by-position that a file may need before it is refused as it is.
const MAX_MENDS: usize = 64;

/// A text ready for the XML parser, and how it differs from the original.
pub(crate) struct Mended<'t> {
    /// The text to parse.
    pub(crate) text: Cow<'t, str>,
    /// Characters inserted: (offset in the mended text, how many bytes).
    insertions: Vec<(usize, usize)>,
    /// What was mended: (offset in the original text, what).
    pub(crate) mends: Vec<(usize, &'static str)>,
}

impl Mended<'_> {
    /// The offset in the original text of an offset in the mended one.
    pub(crate) fn original_offset(&self, offset: usize) -> usize {
        let mut shift = 0;
        for &(at, len) in &self.insertions {
            if at >= offset {
                break;
            }
            shift += len.min(offset - at);
        }
        offset - shift
    }
}

pub(crate) const BARE_AMPERSAND: &str =
    "has a bare '&' (XML wants '&amp;'): read as the character itself, as GENIUS reads it";
pub(crate) const LATE_DECLARATION: &str = "has its XML declaration after blank lines (XML wants it first): read as if it came first, as GENIUS reads it";
pub(crate) const MISSING_SPACE: &str =
    "has two attributes with no space between them: read as if there were one, as GENIUS reads it";

/// The text mended of the slips GENIUS accepts, or the parser's error (at its position in
/// the mended text) for a slip that is not one of them.
pub(crate) fn mend(text: &str) -> Result<Mended<'_>, Box<(roxmltree::Error, Mended<'_>)>> {
    let mut mended =
        Mended { text: Cow::Borrowed(text), insertions: Vec::new(), mends: Vec::new() };
    for _ in 0..MAX_MENDS {
        let error = match Document::parse(&mended.text) {
            Ok(_) => return Ok(mended),
            Err(error) => error,
        };
        let offset = byte_offset(&mended.text, error.pos());
        match &error {
            roxmltree::Error::UnexpectedDeclaration(_) => {
                let current = mended.text.to_string();
                let Some(start) = current.find("<?xml") else {
                    return Err(Box::new((error, mended)));
                };
                let end = current[start..].find("?>").map(|end| start + end + 2);
                match end {
                    Some(end) if is_blank_or_comments(&current[..start]) => {
                        let mut blanked = current[..start].to_owned();
                        blanked.push_str(&" ".repeat(end - start));
                        blanked.push_str(&current[end..]);
                        let original = mended.original_offset(start);
                        mended.mends.push((original, LATE_DECLARATION));
                        mended.text = Cow::Owned(blanked);
                    }
                    _ => return Err(Box::new((error, mended))),
                }
            }
            roxmltree::Error::MalformedEntityReference(_) => {
                let (escaped, inserted) = escape_bare_ampersands(&mended.text);
                if inserted.is_empty() {
                    return Err(Box::new((error, mended)));
                }
                let mut inserted_before = 0;
                for &(at, len) in &inserted {
                    // The '&' sits just before the inserted "amp;", in the text before it.
                    let ampersand = at - inserted_before - 1;
                    mended.mends.push((mended.original_offset(ampersand), BARE_AMPERSAND));
                    inserted_before += len;
                }
                mended.insertions = merge_insertions(&mended.insertions, &inserted);
                mended.text = Cow::Owned(escaped);
            }
            roxmltree::Error::InvalidChar2("a whitespace", _, _)
                if offset > 0 && matches!(mended.text.as_bytes()[offset - 1], b'"' | b'\'') =>
            {
                let mut spaced = mended.text[..offset].to_owned();
                spaced.push(' ');
                spaced.push_str(&mended.text[offset..]);
                let original = mended.original_offset(offset);
                mended.mends.push((original, MISSING_SPACE));
                mended.insertions = merge_insertions(&mended.insertions, &[(offset, 1)]);
                mended.text = Cow::Owned(spaced);
            }
            _ => return Err(Box::new((error, mended))),
        }
    }
    let error = Document::parse(&mended.text).err();
    match error {
        Some(error) => Err(Box::new((error, mended))),
        None => Ok(mended),
    }
}

/// Whether text holds only white space and complete comments.
fn is_blank_or_comments(text: &str) -> bool {
    let mut rest = text.trim_start();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

/// Adds new insertions (offsets in the newly mended text, in increasing order) to earlier ones
/// (offsets in the text before): the earlier ones move past the new ones inserted before them.
fn merge_insertions(earlier: &[(usize, usize)], new: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // Each new insertion's offset in the text before it was made.
    let mut inserted_before = 0;
    let new_in_old: Vec<(usize, usize)> = new
        .iter()
        .map(|&(at, len)| {
            let old_at = at - inserted_before;
            inserted_before += len;
            (old_at, len)
        })
        .collect();
    let mut merged: Vec<(usize, usize)> = earlier
        .iter()
        .map(|&(at, len)| {
            let shift: usize =
                new_in_old.iter().filter(|(old_at, _)| *old_at <= at).map(|(_, len)| len).sum();
            (at + shift, len)
        })
        .collect();
    merged.extend_from_slice(new);
    merged.sort_unstable();
    merged
}

/// Every `&` that does not start an entity or character reference, escaped as `&amp;`; with
/// each insertion's offset (in the escaped text) and length.
fn escape_bare_ampersands(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut escaped = String::with_capacity(text.len() + 16);
    let mut insertions = Vec::new();
    for (offset, character) in text.char_indices() {
        escaped.push(character);
        if character == '&' && !starts_reference(&text[offset + 1..]) {
            insertions.push((escaped.len(), 4));
            escaped.push_str("amp;");
        }
    }
    (escaped, insertions)
}

/// Whether text after an `&` is the rest of a reference: `name;`, `#digits;` or `#xhex;`.
fn starts_reference(rest: &str) -> bool {
    let end = rest.find(';').filter(|&end| end <= 32);
    let Some(end) = end else { return false };
    let body = &rest[..end];
    if let Some(number) = body.strip_prefix("#x") {
        return !number.is_empty() && number.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(number) = body.strip_prefix('#') {
        return !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
    }
    let mut characters = body.chars();
    characters.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        && characters.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '.' | '-'))
}

/// The byte offset of a (1-based) line and column of characters.
pub(crate) fn byte_offset(text: &str, position: TextPos) -> usize {
    let mut line_start = 0;
    for _ in 1..position.row {
        match text[line_start..].find('\n') {
            Some(newline) => line_start += newline + 1,
            None => return text.len(),
        }
    }
    text[line_start..]
        .char_indices()
        .nth(position.col.saturating_sub(1) as usize)
        .map_or(text.len(), |(offset, _)| line_start + offset)
}

/// The (1-based) line and column of characters of a byte offset.
pub(crate) fn text_position(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (count(line), count(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_ampersand_is_read_as_itself_with_positions_of_the_original() {
        let text = "<a name=\"R&D\" b=\"&amp;\">\n<c d=\"x & y\"/></a>";
        let mended = mend(text).ok().unwrap();
        assert_eq!(mended.text, "<a name=\"R&amp;D\" b=\"&amp;\">\n<c d=\"x &amp; y\"/></a>");
        let offsets: Vec<usize> = mended.mends.iter().map(|(offset, _)| *offset).collect();
        assert_eq!(offsets, [text.find("&D").unwrap(), text.find("& y").unwrap()]);
        let c_in_mended = mended.text.find("<c").unwrap();
        assert_eq!(mended.original_offset(c_in_mended), text.find("<c").unwrap());
        let doc = Document::parse(&mended.text).unwrap();
        assert_eq!(doc.root_element().attribute("name"), Some("R&D"));
    }

    #[test]
    fn a_late_declaration_and_a_missing_space_are_mended() {
        let text = "\n<!-- a -->\n<?xml version=\"1.0\"?>\n<a type=\"x\"vtype=\"y\"/>";
        let mended = mend(text).ok().unwrap();
        let doc = Document::parse(&mended.text).unwrap();
        assert_eq!(doc.root_element().attribute("vtype"), Some("y"));
        assert_eq!(mended.mends.len(), 2);
        let vtype = mended.text.find("vtype").unwrap();
        assert_eq!(mended.original_offset(vtype), text.find("vtype").unwrap());
    }

    #[test]
    fn other_mistakes_are_errors() {
        assert!(mend("<a><b></a>").is_err());
        assert!(mend("<a>&unknown;</a>").is_err());
        assert!(mend("text <?xml version=\"1.0\"?><a/>").is_err());
    }

    #[test]
    fn offsets_and_positions_convert_both_ways() {
        let text = "ab\ncdé\nf";
        for offset in [0, 1, 3, 5, 8] {
            let (row, col) = text_position(text, offset);
            assert_eq!(byte_offset(text, TextPos { row, col }), offset);
        }
    }
}
