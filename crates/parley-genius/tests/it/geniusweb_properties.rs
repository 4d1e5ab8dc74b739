//! Property tests of the GeniusWeb reader: random valid scenarios survive writing and reading
//! (files and Parley scenario alike), and mutated files give errors with their file, line and
//! column, never a panic.

use proptest::prelude::*;
use proptest::sample::select;

use crate::helpers::check_located;

use parley_genius::Error;
use parley_genius::geniusweb::{
    Domain, Issue, IssueUtilities, Profile, Scenario, ValueSet, ValueSetUtilities, from_model,
    parse_domain, parse_profile, parse_scenario, to_model, write_domain, write_profile,
};

/// Canonical decimal text of `units / 10^places`.
fn decimal_text(units: i64, places: u32) -> String {
    let scale = 10_i64.pow(places);
    let sign = if units < 0 { "-" } else { "" };
    let (int, frac) = (units.abs() / scale, units.abs() % scale);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let frac = format!("{frac:0width$}", width = places as usize);
    format!("{sign}{int}.{}", frac.trim_end_matches('0'))
}

/// Names with what JSON must escape made likely, but no surrounding white space (a Parley id
/// is the name trimmed, so two names differing only there would be one id).
fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            select(vec!['"', '\\', '/', 'é', '😀', 'a', 'b', ' ']),
            any::<char>().prop_filter("printable", |c| !c.is_control()),
        ],
        1..6,
    )
    .prop_map(|chars| String::from_iter(chars).trim().to_owned())
    .prop_filter("not blank", |name| !name.is_empty())
}

fn value_set() -> impl Strategy<Value = ValueSet> {
    prop_oneof![
        prop::collection::btree_set(name(), 1..5)
            .prop_map(|values| values.into_iter().collect::<Vec<_>>())
            .prop_shuffle()
            .prop_map(ValueSet::Discrete),
        (-500..500_i64, 1..30_i64, 0..6_i64, 0..10_i64).prop_map(|(low, step, n_steps, extra)| {
            let extra = if n_steps == 0 { 1 + extra % step } else { extra % step };
            ValueSet::Range {
                low: decimal_text(low, 1),
                high: decimal_text(low + n_steps * step + extra, 1),
                step: decimal_text(step, 1),
            }
        }),
    ]
}

fn domain() -> impl Strategy<Value = Domain> {
    (name(), prop::collection::btree_map(name(), value_set(), 1..4)).prop_map(|(name, issues)| {
        Domain {
            name,
            issues: issues.into_iter().map(|(name, values)| Issue { name, values }).collect(),
        }
    })
}

/// A profile of `domain`: utilities in thousandths, positive weights in thousandths that add
/// up to 1, and maybe a reservation bid.
fn profile(domain: Domain, name: String) -> impl Strategy<Value = Profile> {
    let n_issues = domain.issues.len();
    let utilities: Vec<BoxedStrategy<ValueSetUtilities>> = domain
        .issues
        .iter()
        .map(|issue| match &issue.values {
            ValueSet::Discrete(values) => {
                let values = values.clone();
                prop::collection::vec(0..=1000_i64, values.len())
                    .prop_map(move |units| {
                        ValueSetUtilities::Discrete(
                            values
                                .iter()
                                .cloned()
                                .zip(units.iter().map(|u| decimal_text(*u, 3)))
                                .collect(),
                        )
                    })
                    .boxed()
            }
            ValueSet::Range { low, high, .. } => {
                let (low, high) = (low.clone(), high.clone());
                (0..=1000_i64, 0..=1000_i64)
                    .prop_map(move |(low_utility, high_utility)| ValueSetUtilities::Number {
                        low_value: low.clone(),
                        low_utility: decimal_text(low_utility, 3),
                        high_value: high.clone(),
                        high_utility: decimal_text(high_utility, 3),
                    })
                    .boxed()
            }
        })
        .collect();
    let bid: Vec<BoxedStrategy<Option<String>>> = domain
        .issues
        .iter()
        .map(|issue| {
            let values = issue.values.values().unwrap();
            prop::option::of(select(values)).boxed()
        })
        .collect();
    (utilities, prop::collection::vec(1..=(1000 / n_issues as i64), n_issues), any::<bool>(), bid)
        .prop_map(move |(utilities, mut weights, has_bid, bid)| {
            let rest: i64 = weights[1..].iter().sum();
            weights[0] = 1000 - rest;
            let reservation_bid = has_bid.then(|| {
                domain
                    .issues
                    .iter()
                    .zip(&bid)
                    .filter_map(|(issue, value)| Some((issue.name.clone(), value.clone()?)))
                    .collect()
            });
            Profile {
                name: name.clone(),
                domain: domain.clone(),
                issues: domain
                    .issues
                    .iter()
                    .zip(utilities)
                    .zip(&weights)
                    .map(|((issue, utilities), weight)| IssueUtilities {
                        issue: issue.name.clone(),
                        weight: decimal_text(*weight, 3),
                        utilities,
                    })
                    .collect(),
                reservation_bid,
            }
        })
}

fn scenario_files() -> impl Strategy<Value = (Domain, Vec<Profile>)> {
    domain().prop_flat_map(|domain| {
        let profiles = vec![
            profile(domain.clone(), "buyer".to_owned()),
            profile(domain.clone(), "seller".to_owned()),
        ];
        (Just(domain), profiles)
    })
}

fn files(domain: &Domain, profiles: &[Profile]) -> Vec<(String, String)> {
    let mut files = vec![("s/domain.json".to_owned(), write_domain(domain))];
    for profile in profiles {
        files.push((format!("s/{}.json", profile.name), write_profile(profile)));
    }
    files
}

proptest! {
    #[test]
    fn valid_files_round_trip_and_import_export_import_is_exact((domain, profiles) in scenario_files()) {
        let files = files(&domain, &profiles);
        prop_assert_eq!(parse_domain("d.json", &files[0].1), Ok(domain.clone()));
        for (profile, (_, text)) in profiles.iter().zip(&files[1..]) {
            prop_assert_eq!(parse_profile("p.json", text), Ok(profile.clone()));
        }
        let scenario: Scenario = parse_scenario(&files).expect("written files read back as a scenario");
        let model = to_model(&scenario, "s").expect("a valid scenario converts");
        let text = parley_model::scenario_file::write_scenario(&model);
        let loaded = parley_model::scenario_file::read_scenario(&text);
        prop_assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let export = from_model(&loaded.scenario.unwrap()).expect("exports");
        prop_assert_eq!(&export.left_out, &Vec::<String>::new());
        let exported = files_of(&export);
        let back = to_model(&parse_scenario(&exported).expect("the export reads back"), "s").unwrap();
        prop_assert_eq!(back, model);
    }
}

fn files_of(export: &parley_genius::geniusweb::Export) -> Vec<(String, String)> {
    files(&export.domain, &export.profiles)
}

const SAMPLE_DOMAIN: &str = r#"{"name": "shop", "issuesValues": {
  "price": {"values": ["low", "mid", "high"]},
  "days": {"range": {"low": 1, "high": 4, "step": "0.5"}}
}}"#;

const SAMPLE_PROFILE: &str = r#"{"LinearAdditiveUtilitySpace": {
  "name": "buyer",
  "domain": {"name": "shop", "issuesValues": {
    "price": {"values": ["low", "mid", "high"]},
    "days": {"range": {"low": 1, "high": 4, "step": "0.5"}}
  }},
  "issueUtilities": {
    "price": {"DiscreteValueSetUtilities": {"valueUtilities": {"low": 1, "mid": 0.5, "high": "0"}}},
    "days": {"NumberValueSetUtilities": {"lowValue": 1, "lowUtility": 1, "highValue": 4, "highUtility": 0.2}}
  },
  "issueWeights": {"price": 0.6, "days": 0.4},
  "reservationBid": {"issuevalues": {"price": "mid", "days": 2.5}}
}}"#;

/// Cases of the mutation property: `PARLEY_FUZZ_CASES`, else 10,000.
fn fuzz_cases() -> u32 {
    std::env::var("PARLEY_FUZZ_CASES").ok().and_then(|text| text.parse().ok()).unwrap_or(10_000)
}

/// Bytes to insert: JSON tokens and GeniusWeb keys, bytes that are not UTF-8, random bytes
/// and deep nesting.
fn inserted_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => select(vec![
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true", "-", "0", "1e999",
            "0.5", "-1", "1.5", "\"x\"", "\"low\"", "\"price\"", "\"days\"", "\"values\": [\"a\"]",
            "\"range\": {\"low\": 0, \"high\": 1, \"step\": 1}", "\"name\": \"b\"", "\"step\": 0",
            "\"LinearAdditiveUtilitySpace\"", "\"SumOfGroupsUtilitySpace\"", "\"issuesValues\"",
            "\"DiscreteValueSetUtilities\"", "\"NumberValueSetUtilities\"", "\"reservationBid\": null",
            "\"issuevalues\": {}", "\"lowValue\": 2", "12345678901234567890123456789012345678901", "1e-9223372036854775808",
        ])
        .prop_map(|text| text.as_bytes().to_vec()),
        2 => select(vec![&b"\xff"[..], b"\xc3", b"\xe2\x82", b"\xef\xbb\xbf", b"\0", b"\r", b"\x1b[31m"])
            .prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 1..6),
        2 => "[ -~\n]{1,6}".prop_map(String::into_bytes),
        1 => (1..3000_usize).prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()),
    ]
}

/// Where JSON insertions keep the most of a file well formed: after a structural character
/// or a space.
fn json_boundary(bytes: &[u8], index: usize) -> bool {
    index > 0 && matches!(bytes[index - 1], b'{' | b'[' | b',' | b':' | b' ')
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_geniusweb_files_never_panic_and_every_file_error_has_a_position(
        mutate_profile in any::<bool>(),
        edits in prop::collection::vec(parley_mutate::edit(inserted_bytes), 1..4),
    ) {
        let mut files = vec![
            ("s/shop.json".to_owned(), SAMPLE_DOMAIN.as_bytes().to_vec()),
            ("s/buyer.json".to_owned(), SAMPLE_PROFILE.as_bytes().to_vec()),
        ];
        let mutated = usize::from(mutate_profile);
        for edit in &edits {
            parley_mutate::apply(&mut files[mutated].1, edit, json_boundary);
        }
        let (name, bytes) = &files[mutated];
        let text = match parley_genius::decode_file(name, bytes) {
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
                let _ = to_model(&scenario, "s");
            }
            Err(Error::NoDomain { files }) => prop_assert_eq!(files.len(), 2),
            Err(Error::SeveralDomains { choices }) => prop_assert_eq!(choices.len(), 2),
            Err(Error::NoProfile { domain_file }) => prop_assert!(texts.iter().any(|(name, _)| *name == domain_file)),
            Err(error) => check_located(&error, &files)?,
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse_domain("x.json", &text);
        let _ = parse_profile("x.json", &text);
    }
}
