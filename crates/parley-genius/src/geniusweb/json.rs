//! A small JSON reader that keeps where every value and key starts, and keeps numbers as
//! their text, so that errors can point into the file and decimals stay exact; and the
//! string escaping the writer needs.

use crate::error::{Error, Location};

/// How deep arrays and objects may nest: GeniusWeb files need about six levels.
const MAX_DEPTH: usize = 64;

/// A JSON value and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Json {
    pub(crate) at: usize,
    pub(crate) value: Value,
}

/// The kinds of JSON value; a number keeps its text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in file order, each key with the offset where it starts.
    Object(Vec<Member>),
}

/// One member of an object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    pub(crate) key: String,
    pub(crate) key_at: usize,
    pub(crate) value: Json,
}

impl Value {
    /// What the value is, for messages: "an object", "a string", ...
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// The 1-based line and column (in characters) of a byte offset of `text`.
pub(crate) fn location(file_name: &str, text: &str, at: usize) -> Location {
    let at = at.min(text.len());
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    Location {
        file: file_name.to_owned(),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

/// Parses a whole JSON text (an optional byte order mark, one value, white space).
pub(crate) fn parse(file_name: &str, text: &str) -> Result<Json, Error> {
    let mut parser = Parser { file_name, text, bytes: text.as_bytes(), at: 0 };
    if text.starts_with('\u{feff}') {
        parser.at = '\u{feff}'.len_utf8();
    }
    parser.skip_space();
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.at < parser.bytes.len() {
        return Err(
            parser.error(parser.at, "more text after the value, expected the end of the file")
        );
    }
    Ok(value)
}

struct Parser<'a> {
    file_name: &'a str,
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, at: usize, message: &str) -> Error {
        Error::MalformedJson {
            location: location(self.file_name, self.text, at),
            message: message.to_owned(),
        }
    }

    fn found(&self) -> String {
        match self.text[self.at..].chars().next() {
            None => "the end of the file".to_owned(),
            Some(character) => format!("{character:?}"),
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, Error> {
        let at = self.at;
        let value = match self.bytes.get(self.at) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(b't') => self.keyword("true", Value::Bool(true))?,
            Some(b'f') => self.keyword("false", Value::Bool(false))?,
            Some(b'n') => self.keyword("null", Value::Null)?,
            _ => {
                let message = format!("found {}, expected a value", self.found());
                return Err(self.error(at, &message));
            }
        };
        Ok(Json { at, value })
    }

    fn keyword(&mut self, word: &str, value: Value) -> Result<Value, Error> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error(self.at, &format!("found {}, expected a value", self.found())))
        }
    }

    fn nest(&self, depth: usize) -> Result<usize, Error> {
        if depth >= MAX_DEPTH {
            let message = format!("nested more than {MAX_DEPTH} levels deep");
            return Err(self.error(self.at, &message));
        }
        Ok(depth + 1)
    }

    fn object(&mut self, depth: usize) -> Result<Value, Error> {
        let depth = self.nest(depth)?;
        self.at += 1;
        let mut members: Vec<Member> = Vec::new();
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_space();
            let key_at = self.at;
            if self.bytes.get(self.at) != Some(&b'"') {
                let message = format!("found {}, expected a key in double quotes", self.found());
                return Err(self.error(key_at, &message));
            }
            let key = self.string()?;
            if members.iter().any(|member| member.key == key) {
                return Err(self.error(key_at, &format!("key {key:?} appears twice in the object")));
            }
            self.skip_space();
            if self.bytes.get(self.at) != Some(&b':') {
                let message = format!("found {}, expected ':'", self.found());
                return Err(self.error(self.at, &message));
            }
            self.at += 1;
            self.skip_space();
            let value = self.value(depth)?;
            members.push(Member { key, key_at, value });
            self.skip_space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                _ => {
                    let message = format!("found {}, expected ',' or '}}'", self.found());
                    return Err(self.error(self.at, &message));
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, Error> {
        let depth = self.nest(depth)?;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth)?);
            self.skip_space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => {
                    let message = format!("found {}, expected ',' or ']'", self.found());
                    return Err(self.error(self.at, &message));
                }
            }
        }
    }

    fn number(&mut self) -> Result<String, Error> {
        let start = self.at;
        let digits = |parser: &mut Self| {
            let from = parser.at;
            while parser.bytes.get(parser.at).is_some_and(u8::is_ascii_digit) {
                parser.at += 1;
            }
            parser.at - from
        };
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        let n_int = digits(self);
        if n_int == 0 {
            return Err(self.error(self.at, &format!("found {}, expected a digit", self.found())));
        }
        if n_int > 1 && self.bytes[int_start] == b'0' {
            return Err(self.error(int_start, "a number cannot start with 0 before more digits"));
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if digits(self) == 0 {
                let message = format!("found {}, expected a digit after '.'", self.found());
                return Err(self.error(self.at, &message));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if digits(self) == 0 {
                let message = format!("found {}, expected a digit of the exponent", self.found());
                return Err(self.error(self.at, &message));
            }
        }
        Ok(self.text[start..self.at].to_owned())
    }

    fn string(&mut self) -> Result<String, Error> {
        let start = self.at;
        self.at += 1;
        let mut res = String::new();
        loop {
            let Some(character) = self.text[self.at..].chars().next() else {
                return Err(self.error(start, "the string does not end, expected a closing '\"'"));
            };
            match character {
                '"' => {
                    self.at += 1;
                    return Ok(res);
                }
                '\\' => {
                    let escape_at = self.at;
                    self.at += 1;
                    let escaped = match self.bytes.get(self.at) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let high = self.hex4(escape_at)?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                if !self.bytes[self.at..].starts_with(b"\\u") {
                                    return Err(self.error(
                                        escape_at,
                                        "a lone surrogate escape, expected a pair",
                                    ));
                                }
                                self.at += 2;
                                let low = self.hex4(escape_at)?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error(
                                        escape_at,
                                        "a lone surrogate escape, expected a pair",
                                    ));
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            let Some(decoded) = char::from_u32(code) else {
                                return Err(self
                                    .error(escape_at, "a lone surrogate escape, expected a pair"));
                            };
                            res.push(decoded);
                            continue;
                        }
                        _ => {
                            return Err(self.error(escape_at, "an unknown escape, expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"));
                        }
                    };
                    self.at += 1;
                    res.push(escaped);
                }
                control if u32::from(control) < 0x20 => {
                    let message = format!("{control:?} inside a string, expected it escaped");
                    return Err(self.error(self.at, &message));
                }
                other => {
                    self.at += other.len_utf8();
                    res.push(other);
                }
            }
        }
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self, escape_at: usize) -> Result<u32, Error> {
        let digits = self.bytes.get(self.at..self.at + 4).and_then(|digits| {
            let digits = std::str::from_utf8(digits).ok()?;
            if !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(digits, 16).ok()
        });
        let Some(code) = digits else {
            return Err(self.error(escape_at, "a \\u escape without four hex digits"));
        };
        self.at += 4;
        Ok(code)
    }
}

/// `text` as a JSON string literal, quotes included.
pub(crate) fn quote(text: &str) -> String {
    let mut res = String::with_capacity(text.len() + 2);
    res.push('"');
    for character in text.chars() {
        match character {
            '"' => res.push_str("\\\""),
            '\\' => res.push_str("\\\\"),
            '\n' => res.push_str("\\n"),
            '\r' => res.push_str("\\r"),
            '\t' => res.push_str("\\t"),
            control if u32::from(control) < 0x20 || control == '\u{7f}' => {
                res.push_str(&format!("\\u{:04x}", u32::from(control)));
            }
            other => res.push(other),
        }
    }
    res.push('"');
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_offsets_and_numbers_their_text() {
        let json =
            parse("f.json", "{\"a\": [1.50, \"x\\u00e9\\ud83d\\ude00\"], \"b\": null}").unwrap();
        let Value::Object(members) = json.value else { unreachable!() };
        assert_eq!((members[0].key.as_str(), members[0].key_at), ("a", 1));
        let Value::Array(items) = &members[0].value.value else { unreachable!() };
        assert_eq!(items[0].value, Value::Number("1.50".to_owned()));
        assert_eq!(items[1].value, Value::String("xé😀".to_owned()));
        assert_eq!(members[1].value, Json { at: 42, value: Value::Null });
    }

    #[test]
    fn errors_give_line_and_column() {
        let error = parse("f.json", "{\n  \"a\": 01\n}").unwrap_err();
        assert_eq!(
            error.to_string(),
            "f.json:2:8: malformed JSON: a number cannot start with 0 before more digits"
        );
        let error = parse("f.json", "{\"a\": 1, \"a\": 2}").unwrap_err();
        assert_eq!(
            error.to_string(),
            "f.json:1:10: malformed JSON: key \"a\" appears twice in the object"
        );
        let error = parse("f.json", &"[".repeat(100)).unwrap_err();
        assert!(error.to_string().contains("nested more than 64 levels"), "{error}");
        let error = parse("f.json", "é\"").unwrap_err();
        assert_eq!(error.to_string(), "f.json:1:1: malformed JSON: found 'é', expected a value");
    }

    #[test]
    fn quoting_escapes_what_json_needs() {
        assert_eq!(quote("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
        let text = quote("tab\there \u{7f} é");
        assert_eq!(
            parse("f", &text).unwrap().value,
            Value::String("tab\there \u{7f} é".to_owned())
        );
    }
}
