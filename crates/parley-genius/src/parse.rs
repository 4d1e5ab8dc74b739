//! Reading GENIUS XML: telling domains from profiles by content, and parsing each into the
//! plain data of [`crate::model`], with errors that point at the file, line and column.
//!
//! GENIUS's own reader is lenient in documented ways, and so is this one, each time with a
//! [`Warning`] that names what it did: elements GENIUS's additive utility does not use
//! (`similarity_function`, a domain's `discount_factor`) are skipped; a value listed twice in
//! a domain is one value; an evaluation written `null` (or left out) is no evaluation, 0; of
//! two evaluations of one value the last counts, as in GENIUS's map; the older layout without
//! an `<objective>`, weights beside the objective, bounds in a `<range>` element and linear
//! evaluators written with `parameter0`/`parameter1` are read with their GENIUS meaning.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use roxmltree::{Document, Node};

use crate::check::{self, Place, Problem};
use crate::error::{Error, Location, Result, Warning};
use crate::model::{
    Constraint, ConstraintBound, ConstraintKind, ConstraintUtility, Domain, DomainIssue,
    IssueEvaluator, IssueKind, LinearEvaluator, Profile, ProfileIssue, RealEvaluator, RealFunction,
    ValueEvaluation,
};
use crate::repair::{self, Mended};

/// What a GENIUS file holds, judged by its content (see [`classify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A `negotiation_template`, or a `utility_space` without weights or evaluations.
    Domain,
    /// A `utility_space` with weights, evaluations or non-linear constraints.
    Profile,
    /// A `utility_space` whose items all have the evaluation `null` and that has no weights:
    /// a profile template still to be filled in, which evaluates nothing.
    EmptyProfile,
}

/// What one warning counts: an element and what was done with it.
struct Tally {
    element: String,
    what: String,
    first: Location,
    count: usize,
}

/// One parsed XML file together with its name, so that errors can point into it, and the
/// warnings found while reading it.
struct Source<'a, 'input> {
    file_name: &'a str,
    /// The text as given (without a byte order mark), which positions refer to.
    original: &'a str,
    /// The text parsed, mended of the slips GENIUS accepts.
    mended: &'a Mended<'a>,
    doc: &'a Document<'input>,
    tallies: RefCell<Vec<Tally>>,
}

/// A file's text mended and parsed: what a [`Source`] reads.
struct Parsed<'t> {
    original: &'t str,
    mended: Mended<'t>,
}

impl<'t> Parsed<'t> {
    fn new(file_name: &str, text: &'t str) -> Result<Parsed<'t>> {
        // GENIUS files are sometimes saved with a byte order mark, which the XML parser refuses.
        let original = text.strip_prefix('\u{feff}').unwrap_or(text);
        match repair::mend(original) {
            Ok(mended) => Ok(Parsed { original, mended }),
            Err(failed) => {
                let (error, mended) = *failed;
                let offset = repair::byte_offset(&mended.text, error.pos());
                let (line, column) =
                    repair::text_position(original, mended.original_offset(offset));
                // The XML parser's message ends with the position, which the location gives.
                let message = error.to_string();
                let position = error.pos();
                let suffix = format!(" at {}:{}", position.row, position.col);
                let message = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
                let location = Location { file: file_name.to_owned(), line, column };
                Err(Error::MalformedXml { location, message })
            }
        }
    }

    fn document(&self) -> Document<'_> {
        Document::parse(&self.mended.text).expect("the mended text parses")
    }
}

impl<'a, 'input> Source<'a, 'input> {
    fn new(file_name: &'a str, parsed: &'a Parsed<'a>, doc: &'a Document<'input>) -> Self {
        let source = Source {
            file_name,
            original: parsed.original,
            mended: &parsed.mended,
            doc,
            tallies: RefCell::new(Vec::new()),
        };
        for &(offset, what) in &parsed.mended.mends {
            source.note_at(source.location_of(offset), "xml", what);
        }
        source
    }

    fn location_of(&self, original_offset: usize) -> Location {
        let (line, column) = repair::text_position(self.original, original_offset);
        Location { file: self.file_name.to_owned(), line, column }
    }

    fn location(&self, node: Node<'_, '_>) -> Location {
        let _ = self.doc;
        self.location_of(self.mended.original_offset(node.range().start))
    }

    /// Counts one occurrence of a lenient reading; warnings with the same element and text
    /// are reported once, with their count and the first one's position.
    fn note(&self, node: Node<'_, '_>, element: &str, what: impl Into<String>) {
        self.note_at(self.location(node), element, what);
    }

    fn note_at(&self, location: Location, element: &str, what: impl Into<String>) {
        let what = what.into();
        let mut tallies = self.tallies.borrow_mut();
        if let Some(tally) =
            tallies.iter_mut().find(|tally| tally.element == element && tally.what == what)
        {
            tally.count += 1;
        } else {
            tallies.push(Tally { element: element.to_owned(), what, first: location, count: 1 });
        }
    }

    fn into_warnings(self) -> Vec<Warning> {
        self.tallies
            .into_inner()
            .into_iter()
            .map(|tally| Warning {
                location: tally.first,
                element: tally.element,
                message: if tally.count == 1 {
                    tally.what
                } else {
                    format!("{} ({} times; the first is here)", tally.what, tally.count)
                },
            })
            .collect()
    }

    fn invalid(&self, node: Node<'_, '_>, message: String) -> Error {
        Error::InvalidElement {
            location: self.location(node),
            element: node.tag_name().name().to_owned(),
            message,
        }
    }

    fn unsupported(&self, node: Node<'_, '_>, message: String) -> Error {
        Error::Unsupported {
            location: self.location(node),
            element: node.tag_name().name().to_owned(),
            message,
        }
    }

    /// An error for a problem found by [`crate::check`], at the element its place names.
    fn error_for_problem(
        &self,
        fallback: Node<'_, '_>,
        node: Option<Node<'_, '_>>,
        problem: Problem,
    ) -> Error {
        let node = node.unwrap_or(fallback);
        Error::InvalidElement {
            location: self.location(node),
            element: problem.element.to_owned(),
            message: problem.message,
        }
    }

    fn required_attribute<'n>(&self, node: Node<'n, '_>, attribute: &str) -> Result<&'n str> {
        node.attribute(attribute).ok_or_else(|| {
            self.invalid(node, format!("has no attribute '{attribute}', expected one"))
        })
    }

    fn parse_number(&self, node: Node<'_, '_>, what: &str, text: &str, sign: Sign) -> Result<f64> {
        let Ok(number) = text.trim().parse::<f64>() else {
            return Err(self.invalid(node, format!("has {what} '{text}', expected a number")));
        };
        if !number.is_finite() {
            let message = format!("has {what} '{text}', expected a finite number");
            return Err(self.invalid(node, message));
        }
        if sign == Sign::NotNegative && number < 0.0 {
            let message = format!("has {what} '{text}', expected a number that is not negative");
            return Err(self.invalid(node, message));
        }
        Ok(number)
    }

    fn number(&self, node: Node<'_, '_>, attribute: &str, sign: Sign) -> Result<f64> {
        let text = self.required_attribute(node, attribute)?;
        self.parse_number(node, attribute, text, sign)
    }

    /// The `value` of an element: its attribute, or the text of a `<value>` child (as some
    /// ANAC 2011 files write a discount factor).
    fn value(&self, node: Node<'_, '_>, sign: Sign) -> Result<f64> {
        if node.has_attribute("value") {
            return self.number(node, "value", sign);
        }
        let mut children = child_elements(node);
        match (children.next(), children.next()) {
            (Some(child), None) if child.has_tag_name("value") => {
                let text = child.text().unwrap_or_default();
                self.parse_number(child, "text", text, sign)
            }
            (Some(child), _) => Err(self.unexpected_child(child, node, "only one <value>")),
            (None, _) => Err(self.invalid(
                node,
                "has no attribute 'value' and no <value> element, expected one".to_owned(),
            )),
        }
    }

    fn integer(&self, node: Node<'_, '_>, attribute: &str) -> Result<i64> {
        let text = self.required_attribute(node, attribute)?;
        text.trim().parse::<i64>().map_err(|_| {
            self.invalid(node, format!("has {attribute} '{text}', expected an integer"))
        })
    }

    fn index(&self, node: Node<'_, '_>) -> Result<u32> {
        let text = self.required_attribute(node, "index")?;
        text.trim()
            .parse::<u32>()
            .map_err(|_| self.invalid(node, format!("has index '{text}', expected a whole number")))
    }

    fn unexpected_child(&self, child: Node<'_, '_>, parent: Node<'_, '_>, expected: &str) -> Error {
        let message =
            format!("is not expected inside <{}>, expected {expected}", parent.tag_name().name());
        self.invalid(child, message)
    }

    /// The single child element named `tag`; any other child element is refused.
    fn only_child<'n>(
        &self,
        parent: Node<'n, 'input>,
        tag: &str,
        ignored: &[&str],
    ) -> Result<Node<'n, 'input>> {
        let mut found = None;
        for child in child_elements(parent) {
            let name = child.tag_name().name();
            if ignored.contains(&name) {
                continue;
            }
            if name != tag {
                return Err(self.unexpected_child(child, parent, &format!("only <{tag}>")));
            }
            if found.is_some() {
                let message =
                    format!("appears twice inside <{}>, expected once", parent.tag_name().name());
                return Err(self.invalid(child, message));
            }
            found = Some(child);
        }
        found.ok_or_else(|| self.invalid(parent, format!("has no <{tag}>, expected one")))
    }

    /// The bounds of an integer issue: its `lowerbound` and `upperbound` attributes, or those
    /// of a `<range>` child, as older GENIUS files write them.
    fn integer_bounds(&self, issue: Node<'_, '_>) -> Result<(i64, i64)> {
        self.bounds(issue, |source, node, attribute| source.integer(node, attribute))
    }

    fn real_bounds(&self, issue: Node<'_, '_>) -> Result<(f64, f64)> {
        self.bounds(issue, |source, node, attribute| source.number(node, attribute, Sign::Any))
    }

    /// An issue's `lowerbound` and `upperbound`, on the `<issue>` or in its one `<range>` (or
    /// both, when they agree).
    fn bounds<T: PartialEq + std::fmt::Display>(
        &self,
        issue: Node<'_, '_>,
        read: impl Fn(&Self, Node<'_, '_>, &str) -> Result<T>,
    ) -> Result<(T, T)> {
        let ranges: Vec<Node<'_, '_>> =
            child_elements(issue).filter(|child| child.has_tag_name("range")).collect();
        if let [_, second, ..] = ranges.as_slice() {
            return Err(self.invalid(
                *second,
                "appears twice inside <issue>, expected at most once".to_owned(),
            ));
        }
        let pair = |node| -> Result<(T, T)> {
            Ok((read(self, node, "lowerbound")?, read(self, node, "upperbound")?))
        };
        match (
            ranges.first(),
            issue.has_attribute("lowerbound") || issue.has_attribute("upperbound"),
        ) {
            (Some(&range), false) => {
                if let Some(child) = child_elements(range).next() {
                    return Err(self.unexpected_child(child, range, "no children"));
                }
                pair(range)
            }
            (Some(&range), true) => {
                let attributes = pair(issue)?;
                let element = pair(range)?;
                if attributes != element {
                    let message = format!(
                        "has bounds '{}'..'{}' but its <issue> '{}'..'{}', expected them to agree",
                        element.0, element.1, attributes.0, attributes.1
                    );
                    return Err(self.invalid(range, message));
                }
                Ok(attributes)
            }
            (None, _) => pair(issue),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    Any,
    NotNegative,
}

fn child_elements<'n, 'input>(node: Node<'n, 'input>) -> impl Iterator<Item = Node<'n, 'input>> {
    node.children().filter(Node::is_element)
}

/// The text of a file's bytes, or a [`Error::MalformedXml`] at the first byte that is not
/// UTF-8 (the line and column of that byte). GENIUS files are UTF-8 (or ASCII).
pub fn decode_file<'a>(file_name: &str, bytes: &'a [u8]) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let line_start = valid.rfind('\n').map_or(0, |newline_idx| newline_idx + 1);
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Error::MalformedXml {
            location: Location {
                file: file_name.to_owned(),
                line: count(valid.matches('\n').count() + 1),
                column: count(valid[line_start..].chars().count() + 1),
            },
            message: parley_model::scenario_file::utf8_message(bytes, &error),
        }
    })
}

/// The text of a GENIUS file as GENIUS reads it: UTF-8; or, for XML that is not UTF-8, the
/// encoding its XML declaration names, else windows-1252 (GENIUS reads a file in the
/// platform's encoding, and ANAC files from Windows machines are in that one), with a warning.
/// Bytes that do not look like XML and are not UTF-8 are an error at the first invalid byte,
/// as [`decode_file`] gives it.
pub fn decode_genius_file<'a>(
    file_name: &str,
    bytes: &'a [u8],
) -> Result<(std::borrow::Cow<'a, str>, Option<Warning>)> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((std::borrow::Cow::Borrowed(text), None));
    }
    let start = bytes.trim_ascii_start();
    let start = start.strip_prefix(b"\xef\xbb\xbf").unwrap_or(start);
    if !start.starts_with(b"<") {
        return Err(decode_file(file_name, bytes).expect_err("the bytes are not UTF-8"));
    }
    let declared = declared_encoding(bytes).and_then(|label| {
        encoding_rs::Encoding::for_label(label.as_bytes())
            .filter(|encoding| *encoding != encoding_rs::UTF_8)
    });
    let encoding = declared.unwrap_or(encoding_rs::WINDOWS_1252);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let first_bad = decode_file(file_name, bytes).expect_err("the bytes are not UTF-8");
    let location = match first_bad {
        Error::MalformedXml { location, .. } => location,
        _ => Location { file: file_name.to_owned(), line: 1, column: 1 },
    };
    let how = if declared.is_some() {
        "the encoding its XML declaration names"
    } else {
        "as GENIUS on Windows reads a file"
    };
    let warning = Warning {
        location,
        element: "xml".to_owned(),
        message: format!(
            "is not UTF-8 from here on: the file is read as {}, {how}",
            encoding.name()
        ),
    };
    Ok((text, Some(warning)))
}

/// The `encoding` of an XML declaration at the start of the bytes.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let declaration = &head[head.find("<?xml")?..];
    let declaration = &declaration[..declaration.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(value[..value.find(quote)?].to_owned())
}

/// The root element's name of XML text, once mended as GENIUS reads it, and what the file
/// is when that root is a GENIUS one.
pub(crate) fn root_and_kind(file_name: &str, text: &str) -> Result<(String, Option<FileKind>)> {
    let parsed = Parsed::new(file_name, text)?;
    let doc = parsed.document();
    let root = doc.root_element().tag_name().name().to_owned();
    if root != "negotiation_template" && root != "utility_space" {
        return Ok((root, None));
    }
    let kind = classify_document(&Source::new(file_name, &parsed, &doc))?;
    Ok((root, Some(kind)))
}

/// Whether an element makes a `utility_space` a profile: a weight, an evaluator, an item's
/// evaluation that is not `null`, or a non-linear `<utility>`.
fn evaluates(node: Node<'_, '_>) -> bool {
    node.has_tag_name("weight")
        || node.has_tag_name("evaluator")
        || node.has_tag_name("utility")
        || (node.has_tag_name("item")
            && node.attribute("evaluation").is_some_and(|evaluation| evaluation.trim() != "null"))
}

fn classify_document(source: &Source<'_, '_>) -> Result<FileKind> {
    let root = source.doc.root_element();
    if root.has_tag_name("utility_space") && root.attribute("type") == Some("constraint") {
        let message = "has type 'constraint': GENIUS's rule-based constraint utility spaces are not supported (its hyper-rectangle ones, type 'nonlinear', are)";
        return Err(source.unsupported(root, message.to_owned()));
    }
    match root.tag_name().name() {
        "negotiation_template" => Ok(FileKind::Domain),
        "utility_space" => {
            if root.descendants().any(evaluates) {
                return Ok(FileKind::Profile);
            }
            let has_null_evaluation = root.descendants().any(|node| {
                node.has_tag_name("item") && node.attribute("evaluation").is_some()
            });
            Ok(if has_null_evaluation { FileKind::EmptyProfile } else { FileKind::Domain })
        }
        other => Err(source.invalid(
            root,
            format!("is not a GENIUS root element ('{other}'), expected <negotiation_template> or <utility_space>"),
        )),
    }
}

/// Tells a domain from a profile by the file's content, not its name; an error when the text
/// is not XML or its root is not a GENIUS one.
pub fn classify(file_name: &str, text: &str) -> Result<FileKind> {
    let parsed = Parsed::new(file_name, text)?;
    let doc = parsed.document();
    classify_document(&Source::new(file_name, &parsed, &doc))
}

/// The element that holds the issues of a `utility_space`: its `<objective>`, or, in the
/// older layout without one, the `utility_space` itself.
fn issue_container<'n, 'input>(
    source: &Source<'_, 'input>,
    utility_space: Node<'n, 'input>,
) -> Result<Node<'n, 'input>> {
    let objectives: Vec<Node<'_, '_>> =
        child_elements(utility_space).filter(|child| child.has_tag_name("objective")).collect();
    match objectives.as_slice() {
        [objective] => {
            if let Some(issue) =
                child_elements(utility_space).find(|child| child.has_tag_name("issue"))
            {
                let message =
                    "beside an <objective> is not expected, expected the issues inside it";
                return Err(source.invalid(issue, message.to_owned()));
            }
            Ok(*objective)
        }
        [] if child_elements(utility_space).any(|child| child.has_tag_name("issue")) => {
            source.note(utility_space, "utility_space", "holds its issues without an <objective> (an older GENIUS layout), read as the objective");
            Ok(utility_space)
        }
        [] => Err(source.invalid(utility_space, "has no <objective>, expected one".to_owned())),
        [_, second, ..] => Err(source.invalid(
            *second,
            format!("appears twice inside <{}>, expected once", utility_space.tag_name().name()),
        )),
    }
}

/// Parses a GENIUS domain file; its warnings are dropped (see [`parse_domain_with_warnings`]).
pub fn parse_domain(file_name: &str, text: &str) -> Result<Domain> {
    parse_domain_with_warnings(file_name, text).map(|(domain, _)| domain)
}

/// Parses a GENIUS domain file, with the warnings of what was read leniently.
///
/// The root is `<negotiation_template>` (its `<agent>` elements are ignored) holding a
/// `<utility_space>`, or a bare `<utility_space>` without weights or evaluations. Inside is one
/// `<objective>` (or, in older files, the issues directly) whose `<issue>` children are
/// discrete or integer issues.
pub fn parse_domain_with_warnings(file_name: &str, text: &str) -> Result<(Domain, Vec<Warning>)> {
    let parsed = Parsed::new(file_name, text)?;
    let doc = parsed.document();
    let source = Source::new(file_name, &parsed, &doc);
    let root = doc.root_element();
    if classify_document(&source)? != FileKind::Domain {
        let message = "has weights or evaluations, so this is a profile, expected a domain";
        return Err(source.invalid(root, message.to_owned()));
    }
    let utility_space = if root.has_tag_name("negotiation_template") {
        for child in child_elements(root).filter(|child| child.has_tag_name("analysis")) {
            source.note(
                child,
                "negotiation_template",
                "holds an <analysis> (data of an earlier GENIUS session), which is skipped",
            );
        }
        source.only_child(root, "utility_space", &["agent", "analysis"])?
    } else {
        root
    };
    let container = issue_container(&source, utility_space)?;
    if container != utility_space {
        for child in child_elements(utility_space) {
            match child.tag_name().name() {
                "objective" => {}
                "discount_factor" | "reservation" => {
                    source.value(child, Sign::Any)?;
                    source.note(
                        child,
                        child.tag_name().name(),
                        "in a domain file is skipped: GENIUS reads it from each profile",
                    );
                }
                _ => return Err(source.unexpected_child(child, utility_space, "only <objective>")),
            }
        }
    }
    let mut issues = Vec::new();
    let mut issue_nodes = Vec::new();
    for child in child_elements(container) {
        match child.tag_name().name() {
            "issue" => {
                issues.push(parse_domain_issue(&source, child)?);
                issue_nodes.push(child);
            }
            "objective" => return Err(nested_objective(&source, child)),
            "discount_factor" | "reservation" if container == utility_space => {
                source.value(child, Sign::Any)?;
                source.note(
                    child,
                    child.tag_name().name(),
                    "in a domain file is skipped: GENIUS reads it from each profile",
                );
            }
            _ => return Err(source.unexpected_child(child, container, "only <issue>")),
        }
    }
    let name = if container == utility_space {
        ""
    } else {
        container.attribute("name").unwrap_or_default()
    };
    let domain = Domain { name: name.to_owned(), issues };
    check::check_domain(&domain).map_err(|problem| {
        let node = place_node(problem.place, &issue_nodes, nth_item);
        source.error_for_problem(container, node, problem)
    })?;
    Ok((domain, source.into_warnings()))
}

fn nth_item<'n, 'input>(issue_node: Node<'n, 'input>, item_idx: usize) -> Option<Node<'n, 'input>> {
    child_elements(issue_node).filter(|node| node.has_tag_name("item")).nth(item_idx)
}

fn place_node<'n, 'input>(
    place: Place,
    issue_nodes: &[Node<'n, 'input>],
    item_node: impl Fn(Node<'n, 'input>, usize) -> Option<Node<'n, 'input>>,
) -> Option<Node<'n, 'input>> {
    match place {
        Place::Objective => None,
        Place::Issue(issue_idx) => issue_nodes.get(issue_idx).copied(),
        Place::Item(issue_idx, item_idx) => {
            let issue_node = issue_nodes.get(issue_idx).copied()?;
            item_node(issue_node, item_idx).or(Some(issue_node))
        }
    }
}

fn nested_objective(source: &Source<'_, '_>, node: Node<'_, '_>) -> Error {
    let message = "inside the root <objective> (a GENIUS objective tree deeper than one level) is not supported";
    source.unsupported(node, message.to_owned())
}

/// The issue's type from `type`, `etype` and `vtype`, which must agree where present.
/// GENIUS reads a missing type as discrete.
fn issue_type<'n>(source: &Source<'_, '_>, node: Node<'n, '_>) -> Result<&'n str> {
    let mut issue_type = None;
    for attribute in ["type", "etype", "vtype"] {
        let Some(value) = node.attribute(attribute) else { continue };
        match issue_type {
            None => issue_type = Some((attribute, value)),
            Some((first_attribute, first_value)) if first_value != value => {
                let message = format!(
                    "has {first_attribute} '{first_value}' but {attribute} '{value}', expected them to agree"
                );
                return Err(source.invalid(node, message));
            }
            Some(_) => {}
        }
    }
    let issue_type = issue_type.map_or("discrete", |(_, value)| value);
    match issue_type {
        "discrete" | "integer" | "real" => Ok(issue_type),
        other => Err(source.unsupported(
            node,
            format!("has type '{other}', expected 'discrete', 'integer' or 'real'"),
        )),
    }
}

const ELICITATION_SKIPPED: &str = "holds preference-elicitation settings (<comparisons>, <errors>, <experimental>, <seed>, <fixed_seed>) of GENIUS's uncertainty experiments, which the utility does not use: skipped";

const SIMILARITY_SKIPPED: &str =
    "is skipped: it serves GENIUS's case-based agents, not the utility of an outcome";

fn parse_domain_issue(source: &Source<'_, '_>, node: Node<'_, '_>) -> Result<DomainIssue> {
    let index = source.index(node)?;
    let name = source.required_attribute(node, "name")?.to_owned();
    let kind = match issue_type(source, node)? {
        issue_type @ ("integer" | "real") => {
            for child in child_elements(node) {
                match child.tag_name().name() {
                    "range" => {}
                    "similarity_function" => {
                        source.note(child, "similarity_function", SIMILARITY_SKIPPED)
                    }
                    _ => {
                        return Err(source.unexpected_child(
                            child,
                            node,
                            "no children but a <range>",
                        ));
                    }
                }
            }
            if issue_type == "real" {
                let (lower, upper) = source.real_bounds(node)?;
                IssueKind::Real { lower, upper }
            } else {
                let (lower, upper) = source.integer_bounds(node)?;
                IssueKind::Integer { lower, upper }
            }
        }
        _ => {
            let mut values: Vec<String> = Vec::new();
            let mut seen: HashSet<String> = HashSet::new();
            for child in child_elements(node) {
                match child.tag_name().name() {
                    "item" => {
                        if let Some(grandchild) = child_elements(child).next() {
                            return Err(source.unexpected_child(grandchild, child, "no children"));
                        }
                        let value = source.required_attribute(child, "value")?;
                        if seen.insert(value.to_owned()) {
                            values.push(value.to_owned());
                        } else {
                            source.note(child, "item", format!("repeats value '{value}' of issue '{name}': one value, as GENIUS offers it"));
                        }
                    }
                    "similarity_function" => {
                        source.note(child, "similarity_function", SIMILARITY_SKIPPED)
                    }
                    _ => return Err(source.unexpected_child(child, node, "only <item>")),
                }
            }
            IssueKind::Discrete { values }
        }
    };
    Ok(DomainIssue { name, index, kind })
}

/// Parses a GENIUS utility profile on its own, without a domain to check it against; its
/// warnings are dropped (see [`parse_profile_with_warnings`]).
pub fn parse_profile(file_name: &str, text: &str) -> Result<Profile> {
    parse_profile_for(file_name, text, None).map(|(profile, _)| profile)
}

/// Parses a GENIUS utility profile on its own, with the warnings of what was read leniently.
///
/// The root is `<utility_space>` holding one `<objective>` (with `<issue>` and `<weight>`
/// children; or, in older files, the issues and weights directly) and optionally
/// `<reservation>` and `<discount_factor>`. Discrete issues carry an `evaluation` on each
/// `<item>`; integer issues carry one linear `<evaluator>`. A non-linear profile
/// (`type="nonlinear"`) lists its issues without evaluators and holds a `<utility>` of
/// hyper-rectangles instead.
pub fn parse_profile_with_warnings(file_name: &str, text: &str) -> Result<(Profile, Vec<Warning>)> {
    parse_profile_for(file_name, text, None)
}

/// Parses a profile and, when a domain is given, checks that it evaluates exactly that domain.
pub(crate) fn parse_profile_for(
    file_name: &str,
    text: &str,
    domain: Option<&Domain>,
) -> Result<(Profile, Vec<Warning>)> {
    let parsed = Parsed::new(file_name, text)?;
    let doc = parsed.document();
    let source = Source::new(file_name, &parsed, &doc);
    let root = doc.root_element();
    let kind = classify_document(&source)?;
    if kind != FileKind::Profile {
        let message = match kind {
            _ if root.has_tag_name("negotiation_template") => {
                "is a domain, expected a profile (a <utility_space> with weights and evaluations)"
            }
            FileKind::EmptyProfile => {
                "has only 'null' evaluations and no weights, so this is an empty profile template, expected a profile"
            }
            _ => "has no weights or evaluations, so this is a domain, expected a profile",
        };
        return Err(source.invalid(root, message.to_owned()));
    }
    let container = issue_container(&source, root)?;
    let mut reservation = None;
    let mut discount_factor = None;
    // Weights and a non-linear utility may sit inside the objective or beside it.
    let mut beside: Vec<Node<'_, '_>> = Vec::new();
    for child in child_elements(root) {
        let (slot, sign) = match child.tag_name().name() {
            "objective" => continue,
            "issue" | "weight" | "utility" if container == root => continue,
            "weight" | "utility" => {
                beside.push(child);
                continue;
            }
            "reservation" => (&mut reservation, Sign::Any),
            "discount_factor" => (&mut discount_factor, Sign::Any),
            "comparisons" | "errors" | "experimental" | "fixed_seed" | "seed" => {
                source.note(child, "utility_space", ELICITATION_SKIPPED);
                continue;
            }
            _ => {
                let expected = "only <objective>, <reservation> and <discount_factor>";
                return Err(source.unexpected_child(child, root, expected));
            }
        };
        if slot.is_some() {
            let message = "appears twice inside <utility_space>, expected at most once";
            return Err(source.invalid(child, message.to_owned()));
        }
        *slot = Some((source.value(child, sign)?, child));
    }
    if let Some((factor, node)) = discount_factor
        && factor.is_finite()
        && !(0.0..=1.0).contains(&factor)
    {
        source.note(
            node,
            "discount_factor",
            format!("is {factor}, outside [0, 1]: read as no discount (1), as GENIUS reads a factor outside (0, 1]"),
        );
    }
    let is_nonlinear = root.attribute("type") == Some("nonlinear")
        || root.descendants().any(|node| node.has_tag_name("utility"));
    let (issues, issue_nodes, constraints) =
        parse_objective(&source, container, &beside, is_nonlinear)?;
    let profile = Profile {
        issues,
        reservation: reservation.map(|(value, _)| value),
        discount_factor: discount_factor.map(|(value, _)| value),
        constraints,
    };
    check::check_profile(&profile).map_err(|problem| {
        let node = match problem.element {
            "reservation" => reservation.map(|(_, node)| node),
            "discount_factor" => discount_factor.map(|(_, node)| node),
            _ => place_node(problem.place, &issue_nodes, nth_item),
        };
        source.error_for_problem(container, node, problem)
    })?;
    if let Some(domain) = domain {
        let lenient = check::check_profile_against_domain(domain, &profile).map_err(|problem| {
            let node = place_node(problem.place, &issue_nodes, nth_item);
            source.error_for_problem(container, node, problem)
        })?;
        for problem in lenient {
            let node = place_node(problem.place, &issue_nodes, nth_item).unwrap_or(container);
            source.note(node, problem.element, problem.message);
        }
    }
    Ok((profile, source.into_warnings()))
}

type ParsedIssues<'n, 'input> =
    (Vec<ProfileIssue>, Vec<Node<'n, 'input>>, Option<ConstraintUtility>);

fn parse_objective<'n, 'input>(
    source: &Source<'_, 'input>,
    container: Node<'n, 'input>,
    beside: &[Node<'n, 'input>],
    is_nonlinear: bool,
) -> Result<ParsedIssues<'n, 'input>> {
    let mut issues = Vec::new();
    let mut issue_nodes = Vec::new();
    // Issue positions and weights by index, so that a long objective is read in linear time.
    let mut issue_by_index: HashMap<u32, usize> = HashMap::new();
    let mut weights: Vec<(u32, f64, Node<'_, '_>)> = Vec::new();
    let mut weight_indices: HashSet<u32> = HashSet::new();
    let mut utility_nodes: Vec<Node<'_, '_>> = Vec::new();
    let children = child_elements(container).chain(beside.iter().copied());
    for child in children {
        match child.tag_name().name() {
            "issue" => {
                let issue = parse_profile_issue(source, child, is_nonlinear)?;
                if issue_by_index.insert(issue.index, issues.len()).is_some() {
                    let message =
                        format!("has index '{}', which an earlier <issue> has too", issue.index);
                    return Err(source.invalid(child, message));
                }
                issues.push(issue);
                issue_nodes.push(child);
            }
            "weight" => {
                if child.parent() != Some(container) {
                    source.note(child, "weight", "beside the <objective> is read as the weight of its issue, as GENIUS reads it");
                }
                let index = source.index(child)?;
                let value = source.number(child, "value", Sign::NotNegative)?;
                if !weight_indices.insert(index) {
                    let message = format!("has index '{index}', which an earlier <weight> has too");
                    return Err(source.invalid(child, message));
                }
                weights.push((index, value, child));
            }
            "objective" if container.has_tag_name("objective") => {
                return Err(nested_objective(source, child));
            }
            "utility" => utility_nodes.push(child),
            "rules" => source.note(child, "objective", "holds <rules> (ranking data for other GENIUS tools), which the utility does not use: skipped"),
            "utility_function" => {
                let message = "(a non-linear utility of this form) is not supported, only weighted issue evaluations and <utility> hyper-rectangles are";
                return Err(source.unsupported(child, message.to_owned()));
            }
            "reservation" | "discount_factor" if container.has_tag_name("utility_space") => {}
            _ => {
                return Err(source.unexpected_child(child, container, "only <issue> and <weight>"));
            }
        }
    }
    let own_index = container.attribute("index").and_then(|index| index.trim().parse::<u32>().ok());
    for (index, value, node) in weights {
        if Some(index) == own_index && !issue_by_index.contains_key(&index) {
            source.note(node, "weight", "has the objective's own index: its weight, which an additive utility does not use, is skipped");
            continue;
        }
        let Some(issue) = issue_by_index.get(&index).map(|&issue_idx| &mut issues[issue_idx])
        else {
            let message = format!("has index '{index}', but no <issue> has that index");
            return Err(source.invalid(node, message));
        };
        issue.weight = Some(value);
    }
    let constraints = match utility_nodes.as_slice() {
        [] => None,
        [utility] => Some(parse_constraints(source, *utility, &issue_by_index)?),
        [_, second, ..] => {
            return Err(
                source.invalid(*second, "appears twice, expected at most one <utility>".to_owned())
            );
        }
    };
    if constraints.is_none()
        && let Some(position) = issues
            .iter()
            .position(|issue| matches!(issue.evaluator, IssueEvaluator::Unevaluated { .. }))
    {
        let message =
            "has no <evaluator>, expected a linear one (or a non-linear profile's <utility>)";
        return Err(source.invalid(issue_nodes[position], message.to_owned()));
    }
    Ok((issues, issue_nodes, constraints))
}

/// A non-linear `<utility maxutility=..>` and the sum of hyper-rectangles of its `<ufun>`.
fn parse_constraints(
    source: &Source<'_, '_>,
    utility: Node<'_, '_>,
    issue_by_index: &HashMap<u32, usize>,
) -> Result<ConstraintUtility> {
    let max_utility = source.number(utility, "maxutility", Sign::Any)?;
    if max_utility <= 0.0 {
        let message = format!("has maxutility '{max_utility}', expected a positive number");
        return Err(source.invalid(utility, message));
    }
    let function = source.only_child(utility, "ufun", &[])?;
    let mut constraints = Vec::new();
    collect_constraints(source, function, 1.0, issue_by_index, &mut constraints)?;
    Ok(ConstraintUtility { max_utility, constraints })
}

fn collect_constraints(
    source: &Source<'_, '_>,
    function: Node<'_, '_>,
    outer_weight: f64,
    issue_by_index: &HashMap<u32, usize>,
    constraints: &mut Vec<Constraint>,
) -> Result<()> {
    let aggregation = function.attribute("aggregation").unwrap_or("sum");
    if !aggregation.eq_ignore_ascii_case("sum") {
        let message = format!("has aggregation '{aggregation}', only 'sum' is supported");
        return Err(source.unsupported(function, message));
    }
    let weight = match function.attribute("weight") {
        Some(_) => source.number(function, "weight", Sign::Any)?,
        None => 1.0,
    };
    let weight = outer_weight * weight;
    for child in child_elements(function) {
        match child.tag_name().name() {
            "ufun" => collect_constraints(source, child, weight, issue_by_index, constraints)?,
            "hyperRectangle" => {
                let utility = source.number(child, "utility", Sign::Any)?;
                let rectangle_weight = match child.attribute("weight") {
                    Some(_) => source.number(child, "weight", Sign::Any)?,
                    None => 1.0,
                };
                let has_excludes =
                    child_elements(child).any(|bound| bound.has_tag_name("EXCLUDES"));
                let has_includes =
                    child_elements(child).any(|bound| bound.has_tag_name("INCLUDES"));
                if has_excludes && has_includes {
                    source.note(child, "hyperRectangle", "has both <INCLUDES> and <EXCLUDES>: its <INCLUDES> are skipped, as GENIUS reads it");
                }
                let kind =
                    if has_excludes { ConstraintKind::Excludes } else { ConstraintKind::Includes };
                let mut bounds = Vec::new();
                for bound in child_elements(child) {
                    match (bound.tag_name().name(), kind) {
                        ("INCLUDES", ConstraintKind::Excludes) => {}
                        ("INCLUDES", _) | ("EXCLUDES", _) => {
                            let index = source.index(bound)?;
                            if !issue_by_index.contains_key(&index) {
                                let message =
                                    format!("has index '{index}', but no <issue> has that index");
                                return Err(source.invalid(bound, message));
                            }
                            bounds.push(ConstraintBound {
                                index,
                                min: source.integer(bound, "min")?,
                                max: source.integer(bound, "max")?,
                            });
                        }
                        _ => {
                            return Err(source.unexpected_child(
                                bound,
                                child,
                                "only <INCLUDES> or <EXCLUDES>",
                            ));
                        }
                    }
                }
                constraints.push(Constraint {
                    value: utility * rectangle_weight * weight,
                    kind,
                    bounds,
                });
            }
            _ => {
                return Err(source.unexpected_child(
                    child,
                    function,
                    "only <hyperRectangle> and <ufun>",
                ));
            }
        }
    }
    Ok(())
}

fn parse_profile_issue(
    source: &Source<'_, '_>,
    node: Node<'_, '_>,
    is_nonlinear: bool,
) -> Result<ProfileIssue> {
    let index = source.index(node)?;
    let name = source.required_attribute(node, "name")?.to_owned();
    let evaluator = match issue_type(source, node)? {
        "real" => IssueEvaluator::Real(real_evaluator(source, node, is_nonlinear)?),
        "integer" => {
            let (lower, upper) = source.integer_bounds(node)?;
            let mut evaluator_node = None;
            for child in child_elements(node) {
                match child.tag_name().name() {
                    "range" => {}
                    "similarity_function" => {
                        source.note(child, "similarity_function", SIMILARITY_SKIPPED)
                    }
                    "evaluator" if evaluator_node.is_none() => evaluator_node = Some(child),
                    "evaluator" => {
                        return Err(source.invalid(
                            child,
                            "appears twice inside <issue>, expected once".to_owned(),
                        ));
                    }
                    _ => return Err(source.unexpected_child(child, node, "only <evaluator>")),
                }
            }
            match evaluator_node {
                Some(evaluator_node) if is_nonlinear => {
                    source.note(evaluator_node, "evaluator", "in a non-linear profile is skipped: GENIUS values its outcomes by the <utility> alone");
                    IssueEvaluator::Unevaluated { lower, upper }
                }
                Some(evaluator_node) => {
                    IssueEvaluator::Integer(linear_evaluator(source, evaluator_node, lower, upper)?)
                }
                None => IssueEvaluator::Unevaluated { lower, upper },
            }
        }
        _ => {
            let mut evaluations: Vec<ValueEvaluation> = Vec::new();
            let mut position_of: HashMap<String, usize> = HashMap::new();
            for child in child_elements(node) {
                match child.tag_name().name() {
                    "item" => {
                        if let Some(grandchild) = child_elements(child).next() {
                            return Err(source.unexpected_child(grandchild, child, "no children"));
                        }
                        let value = source.required_attribute(child, "value")?.to_owned();
                        let evaluation = match child.attribute("evaluation").map(str::trim) {
                            None | Some("null") => {
                                source.note(child, "item", "has no evaluation (or 'null'): read as 0, as GENIUS leaves the value unevaluated");
                                0.0
                            }
                            Some(_) => source.number(child, "evaluation", Sign::NotNegative)?,
                        };
                        if let Some(&earlier) = position_of.get(&value) {
                            source.note(child, "item", format!("repeats value '{value}' of issue '{name}': the last evaluation counts, as in GENIUS"));
                            evaluations[earlier].evaluation = evaluation;
                        } else {
                            position_of.insert(value.clone(), evaluations.len());
                            evaluations.push(ValueEvaluation { value, evaluation });
                        }
                    }
                    // Case-based similarity data (y2011 Car); GENIUS's additive utility ignores it.
                    "similarity_function" => {
                        source.note(child, "similarity_function", SIMILARITY_SKIPPED)
                    }
                    "evaluator" => {
                        let message = "inside a discrete <issue> is not supported, expected <item> evaluations";
                        return Err(source.unsupported(child, message.to_owned()));
                    }
                    _ => return Err(source.unexpected_child(child, node, "only <item>")),
                }
            }
            IssueEvaluator::Discrete { evaluations }
        }
    };
    Ok(ProfileIssue { index, name, weight: None, evaluator })
}

/// A linear (or constant) evaluator: `slope` and `offset` over `x - lowerbound`, or, in older
/// files, `parameter1` and `parameter0` over `x` itself.
fn linear_evaluator(
    source: &Source<'_, '_>,
    node: Node<'_, '_>,
    lower: i64,
    upper: i64,
) -> Result<LinearEvaluator> {
    let function_type = source.required_attribute(node, "ftype")?;
    let old_style = !node.has_attribute("slope")
        && !node.has_attribute("offset")
        && (node.has_attribute("parameter0") || node.has_attribute("parameter1"));
    let (slope, offset) = match (function_type, old_style) {
        ("linear", false) => {
            (source.number(node, "slope", Sign::Any)?, source.number(node, "offset", Sign::Any)?)
        }
        ("linear", true) => {
            source.note(node, "evaluator", "has parameter0 and parameter1 (an older GENIUS form): read as the evaluation parameter0 + parameter1 * value");
            let constant = source.number(node, "parameter0", Sign::Any)?;
            let slope = source.number(node, "parameter1", Sign::Any)?;
            (slope, constant + slope * lower as f64)
        }
        ("constant", _) => {
            let text = if old_style { "parameter0" } else { "offset" };
            (0.0, source.number(node, text, Sign::Any)?)
        }
        (other, _) => {
            let message =
                format!("has ftype '{other}', only 'linear' and 'constant' are supported");
            return Err(source.unsupported(node, message));
        }
    };
    Ok(LinearEvaluator { lower, upper, slope, offset })
}

/// The evaluator of a real issue, whose `<range>` (or bounds) and one `<evaluator>` the
/// profile repeats.
fn real_evaluator(
    source: &Source<'_, '_>,
    node: Node<'_, '_>,
    is_nonlinear: bool,
) -> Result<RealEvaluator> {
    if is_nonlinear {
        let message = "of type 'real' in a non-linear profile is not supported: GENIUS's hyper-rectangles bound integer issues";
        return Err(source.unsupported(node, message.to_owned()));
    }
    let (lower, upper) = source.real_bounds(node)?;
    let mut evaluator_node = None;
    for child in child_elements(node) {
        match child.tag_name().name() {
            "range" => {}
            "similarity_function" => source.note(child, "similarity_function", SIMILARITY_SKIPPED),
            "evaluator" if evaluator_node.is_none() => evaluator_node = Some(child),
            "evaluator" => {
                return Err(
                    source.invalid(child, "appears twice inside <issue>, expected once".to_owned())
                );
            }
            _ => return Err(source.unexpected_child(child, node, "only <evaluator>")),
        }
    }
    let Some(evaluator) = evaluator_node else {
        let message = "of type 'real' has no <evaluator>, expected one".to_owned();
        return Err(source.invalid(node, message));
    };
    let parameter = |idx: usize| source.number(evaluator, &format!("parameter{idx}"), Sign::Any);
    let function = match source.required_attribute(evaluator, "ftype")? {
        "linear" => RealFunction::Linear { parameter0: parameter(0)?, parameter1: parameter(1)? },
        "constant" => RealFunction::Constant { parameter0: parameter(0)? },
        "triangular" => RealFunction::Triangular {
            parameter0: parameter(0)?,
            parameter1: parameter(1)?,
            parameter2: parameter(2)?,
        },
        "triangular_variable_top" => RealFunction::TriangularVariableTop {
            parameter0: parameter(0)?,
            parameter1: parameter(1)?,
            parameter2: parameter(2)?,
            parameter3: parameter(3)?,
        },
        other => {
            let message = format!(
                "has ftype '{other}', expected 'linear', 'constant', 'triangular' or 'triangular_variable_top' (GENIUS's evaluators of real issues)"
            );
            return Err(source.unsupported(evaluator, message));
        }
    };
    if !function.is_continuous() {
        let message = "is a triangle whose top (parameter2) is not strictly between its ends (parameter0, parameter1): GENIUS's evaluation then jumps or divides by 0".to_owned();
        return Err(source.unsupported(evaluator, message));
    }
    Ok(RealEvaluator { lower, upper, function })
}

#[cfg(test)]
mod tests;
