//! Property tests: no input makes the parser panic, mutated files give errors with their file,
//! line and column, and valid domains and profiles survive a write and parse round trip.

use proptest::prelude::*;
use proptest::sample::select;

use crate::helpers::check_located;

use parley_genius::{
    Domain, DomainIssue, Error, IssueEvaluator, IssueKind, LinearEvaluator, Profile, ProfileIssue,
    RealEvaluator, RealFunction, Scenario, ValueEvaluation, decode_file, parse_domain,
    parse_profile, parse_scenario, write_domain, write_profile,
};

/// Characters XML 1.0 allows, with the ones that need escaping made likely.
fn xml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        select(vec!['&', '<', '>', '"', '\'', '\t', '\n', '\r', ' ', ';', '#']),
        any::<char>().prop_filter("XML 1.0 allows it", |character| {
            matches!(character, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
        }),
    ]
}

fn xml_string() -> impl Strategy<Value = String> {
    prop::collection::vec(xml_char(), 0..8).prop_map(String::from_iter)
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![-10.0..10.0, any::<f64>().prop_filter("finite", |number| number.is_finite())]
}

fn not_negative() -> impl Strategy<Value = f64> {
    finite().prop_map(f64::abs)
}

fn issue_kind() -> impl Strategy<Value = IssueKind> {
    prop_oneof![
        prop::collection::btree_set(xml_string(), 1..6)
            .prop_map(|values| IssueKind::Discrete { values: values.into_iter().collect() })
            .prop_shuffle_values(),
        (any::<i64>(), 0..40_i64).prop_map(|(lower, span)| {
            let lower = lower.min(i64::MAX - span);
            IssueKind::Integer { lower, upper: lower + span }
        }),
        (-1e6..1e6_f64, 1e-3..1e6_f64)
            .prop_map(|(lower, span)| IssueKind::Real { lower, upper: lower + span }),
    ]
}

/// A GENIUS function of a real issue whose evaluations over any range lie in [0, 1].
fn real_function(lower: f64, upper: f64) -> impl Strategy<Value = RealFunction> {
    let inside = move || lower..=upper;
    prop_oneof![
        (finite(), finite())
            .prop_map(|(parameter0, parameter1)| RealFunction::Linear { parameter0, parameter1 }),
        (0.0..=1.0_f64).prop_map(|parameter0| RealFunction::Constant { parameter0 }),
        (inside(), inside(), inside(), 0.0..=1.0_f64).prop_filter_map(
            "a top strictly inside",
            |(a, b, c, height)| {
                let mut ends = [a, b, c];
                ends.sort_by(f64::total_cmp);
                let [parameter0, parameter2, parameter1] = ends;
                (parameter0 < parameter2 && parameter2 < parameter1).then_some(if height == 1.0 {
                    RealFunction::Triangular { parameter0, parameter1, parameter2 }
                } else {
                    RealFunction::TriangularVariableTop {
                        parameter0,
                        parameter1,
                        parameter2,
                        parameter3: height,
                    }
                })
            }
        ),
    ]
}

trait ShuffleValues {
    fn prop_shuffle_values(self) -> BoxedStrategy<IssueKind>;
}

impl<S: Strategy<Value = IssueKind> + 'static> ShuffleValues for S {
    /// Shuffles discrete values, so that file order, not sorted order, is what round-trips.
    fn prop_shuffle_values(self) -> BoxedStrategy<IssueKind> {
        self.prop_flat_map(|kind| match kind {
            IssueKind::Discrete { values } => Just(values)
                .prop_shuffle()
                .prop_map(|values| IssueKind::Discrete { values })
                .boxed(),
            other => Just(other).boxed(),
        })
        .boxed()
    }
}

fn domain() -> impl Strategy<Value = Domain> {
    (1..5_usize)
        .prop_flat_map(|n_issues| {
            (
                xml_string(),
                prop::collection::btree_set(xml_string(), n_issues),
                prop::collection::btree_set(any::<u32>(), n_issues),
                prop::collection::vec(issue_kind(), n_issues),
            )
        })
        .prop_filter("as many names and indices as issues", |(_, names, indices, kinds)| {
            names.len() == kinds.len() && indices.len() == kinds.len()
        })
        .prop_map(|(name, names, indices, kinds)| Domain {
            name,
            issues: names
                .into_iter()
                .zip(indices)
                .zip(kinds)
                .map(|((name, index), kind)| DomainIssue { name, index, kind })
                .collect(),
        })
}

fn profile_issue(issue: &DomainIssue, weighted: bool) -> BoxedStrategy<ProfileIssue> {
    let weight = if weighted { not_negative().prop_map(Some).boxed() } else { Just(None).boxed() };
    let evaluator = match &issue.kind {
        IssueKind::Discrete { values } => {
            let n_values = values.len();
            (Just(values.clone()).prop_shuffle(), prop::collection::vec(not_negative(), n_values))
                .prop_map(|(values, evaluations)| IssueEvaluator::Discrete {
                    evaluations: values
                        .into_iter()
                        .zip(evaluations)
                        .map(|(value, evaluation)| ValueEvaluation { value, evaluation })
                        .collect(),
                })
                .boxed()
        }
        IssueKind::Integer { lower, upper } => {
            let (lower, upper) = (*lower, *upper);
            (finite(), finite())
                .prop_map(move |(slope, offset)| {
                    IssueEvaluator::Integer(LinearEvaluator { lower, upper, slope, offset })
                })
                .boxed()
        }
        IssueKind::Real { lower, upper } => {
            let (lower, upper) = (*lower, *upper);
            real_function(lower, upper)
                .prop_map(move |function| {
                    IssueEvaluator::Real(RealEvaluator { lower, upper, function })
                })
                .boxed()
        }
    };
    let (index, name) = (issue.index, issue.name.clone());
    (weight, evaluator)
        .prop_map(move |(weight, evaluator)| ProfileIssue {
            index,
            name: name.clone(),
            weight,
            evaluator,
        })
        .boxed()
}

fn domain_and_profile() -> impl Strategy<Value = (Domain, Profile)> {
    (domain(), any::<bool>()).prop_flat_map(|(domain, weighted)| {
        let issues: Vec<_> =
            domain.issues.iter().map(|issue| profile_issue(issue, weighted)).collect();
        let profile = (
            Just(issues).prop_flat_map(|issues| issues).prop_shuffle(),
            prop::option::of(finite()),
            prop::option::of(finite()),
        )
            .prop_map(|(issues, reservation, discount_factor)| Profile {
                issues,
                reservation,
                discount_factor,
                constraints: None,
            });
        (Just(domain), profile)
    })
}

/// Text edits that tend to keep a document XML-like while breaking it in many ways.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "<",
            ">",
            "/>",
            "</",
            "\"",
            "=",
            "&",
            "&amp;",
            "&#0;",
            "&#x110000;",
            "<item",
            "<issue",
            "<weight",
            "<objective",
            "<evaluator",
            "type=\"real\"",
            "type=\"integer\"",
            "lowerbound=\"",
            "index=\"",
            "value=\"",
            "evaluation=\"",
            "NaN",
            "-1",
            "1e999",
            "9999999999999999999999",
            "<!DOCTYPE x>",
            "<!--",
            "]]>",
        ])
        .prop_map(str::to_owned),
        xml_string(),
    ]
}

fn mutate(text: &str, start: usize, length: usize, insertion: &str) -> String {
    let boundaries: Vec<usize> =
        text.char_indices().map(|(position, _)| position).chain([text.len()]).collect();
    let start = boundaries[start % boundaries.len()];
    let end = boundaries
        .iter()
        .copied()
        .find(|&position| position >= start + length)
        .unwrap_or(text.len());
    format!("{}{insertion}{}", &text[..start], &text[end..])
}

const SAMPLE_DOMAIN: &str = r#"<negotiation_template><utility_space><objective name="s">
<issue index="1" name="a" type="discrete"><item value="x"/><item value="y"/></issue>
<issue index="2" name="b" type="integer" lowerbound="1" upperbound="3"/>
</objective></utility_space></negotiation_template>"#;

const SAMPLE_PROFILE: &str = r#"<utility_space><reservation value="0.1"/><objective name="s">
<issue index="1" name="a" type="discrete"><item value="x" evaluation="2"/><item value="y" evaluation="1"/></issue>
<issue index="2" name="b" type="integer" lowerbound="1" upperbound="3"><evaluator ftype="linear" slope="0.5" offset="0"/></issue>
<weight index="1" value="0.5"/><weight index="2" value="0.5"/>
</objective><discount_factor value="1"/></utility_space>"#;

fn parse_everything(text: &str) {
    let _ = parse_domain("x.xml", text);
    let _ = parse_profile("x.xml", text);
    let files =
        vec![("d.xml".to_owned(), SAMPLE_DOMAIN.to_owned()), ("x.xml".to_owned(), text.to_owned())];
    if let Ok(scenario) = parse_scenario(&files) {
        let _ = scenario.normalised_utilities();
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        parse_everything(&text);
    }

    #[test]
    fn edited_documents_never_panic(
        use_profile in any::<bool>(),
        edits in prop::collection::vec((any::<usize>(), 0..12_usize, fragment()), 1..4),
    ) {
        let mut text = if use_profile { SAMPLE_PROFILE.to_owned() } else { SAMPLE_DOMAIN.to_owned() };
        for (start, length, insertion) in &edits {
            text = mutate(&text, *start, *length, insertion);
        }
        parse_everything(&text);
    }

    #[test]
    fn valid_domains_and_profiles_round_trip((domain, profile) in domain_and_profile()) {
        let domain_text = write_domain(&domain);
        prop_assert_eq!(parse_domain("d.xml", &domain_text), Ok(domain.clone()));
        let profile_text = write_profile(&domain, &profile);
        prop_assert_eq!(parse_profile("p.xml", &profile_text), Ok(profile.clone()));

        let files = vec![("d.xml".to_owned(), domain_text), ("p.xml".to_owned(), profile_text)];
        let scenario = parse_scenario(&files).expect("written files read back as a scenario");
        let built = Scenario::new(domain, vec![("p".to_owned(), profile)]).expect("a valid scenario");
        prop_assert_eq!(&scenario, &built);

        for party in scenario.normalised_utilities() {
            let weight_sum: f64 = party.issues.iter().map(|issue| issue.weight).sum();
            prop_assert!(weight_sum == 0.0 || (weight_sum - 1.0).abs() < 1e-9, "weights add up to {}", weight_sum);
            for issue in &party.issues {
                for option in &issue.options {
                    prop_assert!((0.0..=1.0).contains(&option.value), "value {}", option.value);
                }
            }
        }
    }
}

/// Cases of the mutation property: `PARLEY_FUZZ_CASES`, else 10,000.
fn fuzz_cases() -> u32 {
    std::env::var("PARLEY_FUZZ_CASES").ok().and_then(|text| text.parse().ok()).unwrap_or(10_000)
}

/// Bytes to insert: XML-breaking fragments, bytes that are not UTF-8, random bytes and deeply
/// nested elements.
fn inserted_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => fragment().prop_map(String::into_bytes),
        6 => select(vec![
            " index=\"1\"", " index=\"9\"", " index=\"-1\"", " name=\"a\"", " name=\"b\"",
            " value=\"x\"", " value=\"z\"", " evaluation=\"-1\"", " evaluation=\"NaN\"",
            " type=\"real\"", " type=\"integer\"", " etype=\"discrete\"", " lowerbound=\"5\"",
            " upperbound=\"-9223372036854775808\"", " ftype=\"triangular\"", " slope=\"inf\"",
            "<item value=\"x\" evaluation=\"1\"/>", "<item value=\"w\"/>", "<weight index=\"1\" value=\"1\"/>",
            "<weight index=\"3\" value=\"1\"/>", "<issue index=\"3\" name=\"c\"><item value=\"q\"/></issue>",
            "<evaluator ftype=\"linear\" slope=\"1\" offset=\"0\"/>", "<reservation value=\"0.5\"/>",
            "<discount_factor value=\"2\"/>", "<objective/>", "<utility_function/>", "<agent/>",
            "<similarity_function/>", "<utility_space>", "</utility_space>", "<negotiation_template>",
        ])
        .prop_map(|text| text.as_bytes().to_vec()),
        2 => select(vec![
            &b"\xff"[..], b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\0", b"\r",
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", b"<![CDATA[x]]>", b"<?pi?>",
            b"<!ENTITY a \"&a;&a;\">", b"&a;", b"\x1b[31m",
        ])
        .prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 1..6),
        2 => "[ -~\n]{1,6}".prop_map(String::into_bytes),
        1 => (1..3000_usize).prop_map(|depth| format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth)).into_bytes()),
    ]
}

/// Where an XML insertion keeps the most of a file well formed: before a `<`, after a space
/// or after a `"` (where elements and attributes start and values end).
fn xml_boundary(bytes: &[u8], index: usize) -> bool {
    bytes.get(index) == Some(&b'<') || (index > 0 && matches!(bytes[index - 1], b' ' | b'"'))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_folders_never_panic_and_every_file_error_has_a_position(
        mutate_profile in any::<bool>(),
        edits in prop::collection::vec(parley_mutate::edit(inserted_bytes), 1..4),
    ) {
        let mut files = vec![
            ("s/s_domain.xml".to_owned(), SAMPLE_DOMAIN.as_bytes().to_vec()),
            ("s/buyer.xml".to_owned(), SAMPLE_PROFILE.as_bytes().to_vec()),
        ];
        let mutated = usize::from(mutate_profile);
        for edit in &edits {
            parley_mutate::apply(&mut files[mutated].1, edit, xml_boundary);
        }
        let (name, bytes) = &files[mutated];
        let text = match decode_file(name, bytes) {
            Ok(text) => text.to_owned(),
            Err(error) => return check_located(&error, &files),
        };
        for error in [parse_domain(name, &text).err(), parse_profile(name, &text).err()].into_iter().flatten() {
            check_located(&error, &files)?;
        }
        let mut texts: Vec<(String, String)> = vec![
            (files[0].0.clone(), SAMPLE_DOMAIN.to_owned()),
            (files[1].0.clone(), SAMPLE_PROFILE.to_owned()),
        ];
        texts[mutated].1 = text;
        match parse_scenario(&texts) {
            Ok(scenario) => {
                let _ = scenario.normalised_utilities();
            }
            // Errors about the folder as a whole name its files instead of a position.
            // Both files given are named: none or both became domains.
            Err(Error::NoDomain { files }) => prop_assert_eq!(files.len(), 2),
            Err(Error::SeveralDomains { choices }) => prop_assert_eq!(choices.len(), 2),
            Err(Error::NoProfile { domain_file }) => prop_assert!(texts.iter().any(|(name, _)| *name == domain_file)),
            Err(error) => check_located(&error, &files)?,
        }
    }
}
