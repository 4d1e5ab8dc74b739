//! Tests for parsing single GENIUS files, on small hand-written XML.

use expect_test::{Expect, expect};

use super::{
    FileKind, classify, parse_domain, parse_domain_with_warnings, parse_profile,
    parse_profile_with_warnings,
};

/// A discrete and an integer issue, in the shape of the ANAC domain files.
const DOMAIN: &str = r#"<negotiation_template number_of_sessions="1">
<agent utility_space="" name="" class="">
</agent>
<utility_space number_of_issues="0">
<objective index="0" description="" name="Lunch" type="objective" etype="objective">
<issue index="1" name="Food" vtype="discrete" type="discrete" etype="discrete">
<item index="1" value="Soup" cost="0.0" description="hot">
</item>
<item index="2" value="Fish &amp; chips">
</item>
</issue>
<issue index="2" name="Price" vtype="integer" lowerbound="8" upperbound="10" type="integer" etype="integer">
</issue>
</objective>
</utility_space>
</negotiation_template>
"#;

/// A profile of [`DOMAIN`] with weights after the issues, as most ANAC files have them.
const PROFILE: &str = r#"<utility_space>
    <reservation value="0.25" />
<objective index="0" description="" name="Lunch" type="objective" etype="objective">
<issue index="1" name="Food" vtype="discrete" type="discrete" etype="discrete">
<item index="1" value="Soup" cost="0.0" evaluation="40">
</item>
<item index="2" value="Fish &amp; chips" evaluation="80">
</item>
<similarity_function weight="0.6"><criteria_function weight="1">
<item index="1" value="Soup" evaluation="1"></item>
</criteria_function></similarity_function>
</issue>
<issue index="2" name="Price" vtype="integer" lowerbound="8" upperbound="10" type="integer" etype="integer">
<evaluator ftype="linear" offset="1.0" slope="-0.15">
</evaluator>
</issue>
<weight index="1" value="0.6">
</weight>
<weight index="2" value="0.4">
</weight>
</objective>
<discount_factor value="0.0" />
</utility_space>
"#;

/// The value, then each warning on a line of its own.
fn render<T: std::fmt::Debug>(parsed: crate::Result<(T, Vec<crate::Warning>)>) -> String {
    match parsed {
        Ok((value, warnings)) => {
            let mut res = format!("{value:#?}");
            for warning in warnings {
                res.push_str(&format!("\nwarning: {warning}"));
            }
            res
        }
        Err(error) => format!("error: {error}"),
    }
}

fn check_domain(text: &str, expect: Expect) {
    expect.assert_eq(&render(parse_domain_with_warnings("Lunch/lunch.xml", text)));
    // Without warnings, the same value or error.
    let plain = parse_domain("Lunch/lunch.xml", text);
    assert_eq!(plain.is_ok(), parse_domain_with_warnings("Lunch/lunch.xml", text).is_ok());
}

fn check_profile(text: &str, expect: Expect) {
    expect.assert_eq(&render(parse_profile_with_warnings("Lunch/lunch_a.xml", text)));
    let plain = parse_profile("Lunch/lunch_a.xml", text);
    assert_eq!(plain.is_ok(), parse_profile_with_warnings("Lunch/lunch_a.xml", text).is_ok());
}

/// Replaces the first occurrence of `from` in `base`, failing loudly when it is absent.
fn edit(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "fixture lacks {from:?}");
    base.replacen(from, to, 1)
}

#[test]
fn parses_discrete_and_integer_domain() {
    check_domain(
        DOMAIN,
        expect![[r#"
            Domain {
                name: "Lunch",
                issues: [
                    DomainIssue {
                        name: "Food",
                        index: 1,
                        kind: Discrete {
                            values: [
                                "Soup",
                                "Fish & chips",
                            ],
                        },
                    },
                    DomainIssue {
                        name: "Price",
                        index: 2,
                        kind: Integer {
                            lower: 8,
                            upper: 10,
                        },
                    },
                ],
            }"#]],
    );
}

#[test]
fn parses_domain_rooted_at_utility_space() {
    let text = r#"<utility_space><objective name="root">
        <issue index="3" name="Colour"><item value="red"/></issue>
        </objective></utility_space>"#;
    check_domain(
        text,
        expect![[r#"
            Domain {
                name: "root",
                issues: [
                    DomainIssue {
                        name: "Colour",
                        index: 3,
                        kind: Discrete {
                            values: [
                                "red",
                            ],
                        },
                    },
                ],
            }"#]],
    );
}

#[test]
fn parses_profile_and_skips_similarity_functions_with_a_warning() {
    check_profile(
        PROFILE,
        expect![[r#"
            Profile {
                issues: [
                    ProfileIssue {
                        index: 1,
                        name: "Food",
                        weight: Some(
                            0.6,
                        ),
                        evaluator: Discrete {
                            evaluations: [
                                ValueEvaluation {
                                    value: "Soup",
                                    evaluation: 40.0,
                                },
                                ValueEvaluation {
                                    value: "Fish & chips",
                                    evaluation: 80.0,
                                },
                            ],
                        },
                    },
                    ProfileIssue {
                        index: 2,
                        name: "Price",
                        weight: Some(
                            0.4,
                        ),
                        evaluator: Integer(
                            LinearEvaluator {
                                lower: 8,
                                upper: 10,
                                slope: -0.15,
                                offset: 1.0,
                            },
                        ),
                    },
                ],
                reservation: Some(
                    0.25,
                ),
                discount_factor: Some(
                    0.0,
                ),
                constraints: None,
            }
            warning: Lunch/lunch_a.xml:9:1: <similarity_function> is skipped: it serves GENIUS's case-based agents, not the utility of an outcome"#]],
    );
}

#[test]
fn parses_profile_without_weights() {
    let text = r#"<utility_space><objective name="root">
        <issue index="1" name="Colour"><item value="red" evaluation="3"/></issue>
        </objective></utility_space>"#;
    check_profile(
        text,
        expect![[r#"
            Profile {
                issues: [
                    ProfileIssue {
                        index: 1,
                        name: "Colour",
                        weight: None,
                        evaluator: Discrete {
                            evaluations: [
                                ValueEvaluation {
                                    value: "red",
                                    evaluation: 3.0,
                                },
                            ],
                        },
                    },
                ],
                reservation: None,
                discount_factor: None,
                constraints: None,
            }"#]],
    );
}

#[test]
fn accepts_byte_order_mark() {
    let text = format!("\u{feff}{DOMAIN}");
    assert!(parse_domain("lunch.xml", &text).is_ok());
}

#[test]
fn classifies_by_content() {
    assert_eq!(classify("a.xml", DOMAIN), Ok(FileKind::Domain));
    assert_eq!(classify("b.xml", PROFILE), Ok(FileKind::Profile));
    let bare_domain = r#"<utility_space><objective><issue index="1" name="x"><item value="a"/></issue></objective></utility_space>"#;
    assert_eq!(classify("c.xml", bare_domain), Ok(FileKind::Domain));
}

#[test]
fn reports_non_numeric_evaluation_with_position() {
    let text = edit(PROFILE, r#"evaluation="80""#, r#"evaluation="abc""#);
    check_profile(
        &text,
        expect![[
            r#"error: Lunch/lunch_a.xml:7:1: <item> has evaluation 'abc', expected a number"#
        ]],
    );
}

#[test]
fn reports_negative_and_infinite_numbers() {
    let text = edit(PROFILE, r#"evaluation="80""#, r#"evaluation="-1""#);
    check_profile(
        &text,
        expect![[
            r#"error: Lunch/lunch_a.xml:7:1: <item> has evaluation '-1', expected a number that is not negative"#
        ]],
    );
    let text = edit(PROFILE, r#"value="0.4""#, r#"value="inf""#);
    check_profile(
        &text,
        expect![
            "error: Lunch/lunch_a.xml:19:1: <weight> has value 'inf', expected a finite number"
        ],
    );
    let text = edit(PROFILE, r#"<reservation value="0.25" />"#, r#"<reservation value="NaN" />"#);
    check_profile(
        &text,
        expect![[
            r#"error: Lunch/lunch_a.xml:2:5: <reservation> has value 'NaN', expected a finite number"#
        ]],
    );
}

#[test]
fn reports_missing_attributes_and_reads_a_missing_evaluation_as_0() {
    let text = edit(PROFILE, r#" evaluation="40""#, "");
    check_profile(
        &text,
        expect![[r#"
            Profile {
                issues: [
                    ProfileIssue {
                        index: 1,
                        name: "Food",
                        weight: Some(
                            0.6,
                        ),
                        evaluator: Discrete {
                            evaluations: [
                                ValueEvaluation {
                                    value: "Soup",
                                    evaluation: 0.0,
                                },
                                ValueEvaluation {
                                    value: "Fish & chips",
                                    evaluation: 80.0,
                                },
                            ],
                        },
                    },
                    ProfileIssue {
                        index: 2,
                        name: "Price",
                        weight: Some(
                            0.4,
                        ),
                        evaluator: Integer(
                            LinearEvaluator {
                                lower: 8,
                                upper: 10,
                                slope: -0.15,
                                offset: 1.0,
                            },
                        ),
                    },
                ],
                reservation: Some(
                    0.25,
                ),
                discount_factor: Some(
                    0.0,
                ),
                constraints: None,
            }
            warning: Lunch/lunch_a.xml:5:1: <item> has no evaluation (or 'null'): read as 0, as GENIUS leaves the value unevaluated
            warning: Lunch/lunch_a.xml:9:1: <similarity_function> is skipped: it serves GENIUS's case-based agents, not the utility of an outcome"#]],
    );
    let text = edit(DOMAIN, r#" upperbound="10""#, "");
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:12:1: <issue> has no attribute 'upperbound', expected one"#
        ]],
    );
    let text = edit(DOMAIN, r#"index="2" name="Price""#, r#"index="two" name="Price""#);
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:12:1: <issue> has index 'two', expected a whole number"#
        ]],
    );
}

#[test]
fn reports_malformed_xml() {
    check_domain(
        "<negotiation_template>\n<utility_space>\n</negotiation_template>",
        expect![
            "error: Lunch/lunch.xml:3:1: malformed XML: expected 'utility_space' tag, not 'negotiation_template'"
        ],
    );
    check_domain(
        "",
        expect![
            "error: Lunch/lunch.xml:1:1: malformed XML: the document does not have a root node"
        ],
    );
}

#[test]
fn refuses_unknown_root() {
    check_domain(
        "<domain/>",
        expect![[
            r#"error: Lunch/lunch.xml:1:1: <domain> is not a GENIUS root element ('domain'), expected <negotiation_template> or <utility_space>"#
        ]],
    );
}

#[test]
fn refuses_profile_as_domain_and_domain_as_profile() {
    check_domain(
        PROFILE,
        expect![[
            r#"error: Lunch/lunch.xml:1:1: <utility_space> has weights or evaluations, so this is a profile, expected a domain"#
        ]],
    );
    check_profile(
        DOMAIN,
        expect![[
            r#"error: Lunch/lunch_a.xml:1:1: <negotiation_template> is a domain, expected a profile (a <utility_space> with weights and evaluations)"#
        ]],
    );
}

#[test]
fn refuses_unknown_issue_types() {
    let text =
        edit(DOMAIN, r#"vtype="discrete" type="discrete" etype="discrete""#, r#"type="set""#);
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:6:1: <issue> has type 'set', expected 'discrete', 'integer' or 'real'"#
        ]],
    );
    let text =
        edit(DOMAIN, r#"type="discrete" etype="discrete""#, r#"type="discrete" etype="integer""#);
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:6:1: <issue> has type 'discrete' but etype 'integer', expected them to agree"#
        ]],
    );
}

#[test]
fn reads_missing_type_as_discrete() {
    let text = edit(DOMAIN, r#" vtype="discrete" type="discrete" etype="discrete""#, "");
    assert_eq!(parse_domain("lunch.xml", &text), parse_domain("lunch.xml", DOMAIN));
}

#[test]
fn refuses_non_linear_evaluators() {
    let text = edit(PROFILE, r#"ftype="linear""#, r#"ftype="triangular""#);
    check_profile(
        &text,
        expect![
            "error: Lunch/lunch_a.xml:14:1: <evaluator> has ftype 'triangular', only 'linear' and 'constant' are supported"
        ],
    );
    let text = edit(
        PROFILE,
        "<weight index=\"1\"",
        "<utility_function maxutility=\"1\"/>\n<weight index=\"1\"",
    );
    check_profile(
        &text,
        expect![
            "error: Lunch/lunch_a.xml:17:1: <utility_function> (a non-linear utility of this form) is not supported, only weighted issue evaluations and <utility> hyper-rectangles are"
        ],
    );
    let text = edit(
        PROFILE,
        "<evaluator ftype",
        "<evaluator ftype=\"linear\" slope=\"1\" offset=\"0\"/>\n<evaluator ftype",
    );
    check_profile(
        &text,
        expect![[
            r#"error: Lunch/lunch_a.xml:15:1: <evaluator> appears twice inside <issue>, expected once"#
        ]],
    );
}

#[test]
fn refuses_nested_objectives() {
    let text = edit(
        DOMAIN,
        "</objective>",
        "<objective index=\"3\" name=\"sub\"></objective>\n</objective>",
    );
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:14:1: <objective> inside the root <objective> (a GENIUS objective tree deeper than one level) is not supported"#
        ]],
    );
}

#[test]
fn refuses_unexpected_elements() {
    let text = edit(DOMAIN, "<item index=\"1\"", "<value/>\n<item index=\"1\"");
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:7:1: <value> is not expected inside <issue>, expected only <item>"#
        ]],
    );
    let text = edit(PROFILE, "<discount_factor", "<bonus value=\"1\"/>\n<discount_factor");
    check_profile(
        &text,
        expect![
            "error: Lunch/lunch_a.xml:22:1: <bonus> is not expected inside <utility_space>, expected only <objective>, <reservation> and <discount_factor>"
        ],
    );
    let text = edit(PROFILE, "<discount_factor", "<reservation value=\"1\"/>\n<discount_factor");
    check_profile(
        &text,
        expect![
            "error: Lunch/lunch_a.xml:22:1: <reservation> appears twice inside <utility_space>, expected at most once"
        ],
    );
}

#[test]
fn refuses_partial_and_stray_weights() {
    let text = edit(PROFILE, "<weight index=\"2\" value=\"0.4\">\n</weight>", "");
    check_profile(
        &text,
        expect![[
            r#"error: Lunch/lunch_a.xml:3:1: <objective> has no <weight> for issue 'Price' (index '2'), expected a weight for every issue or for none"#
        ]],
    );
    let text = edit(PROFILE, "<weight index=\"2\"", "<weight index=\"7\"");
    check_profile(
        &text,
        expect![
            "error: Lunch/lunch_a.xml:19:1: <weight> has index '7', but no <issue> has that index"
        ],
    );
    let text = edit(PROFILE, "<weight index=\"2\"", "<weight index=\"1\"");
    check_profile(
        &text,
        expect![
            "error: Lunch/lunch_a.xml:19:1: <weight> has index '1', which an earlier <weight> has too"
        ],
    );
}

#[test]
fn refuses_repeated_issues_and_reads_repeated_values_as_genius_does() {
    let text = edit(DOMAIN, r#"value="Fish &amp; chips""#, r#"value="Soup""#);
    check_domain(
        &text,
        expect![[r#"
            Domain {
                name: "Lunch",
                issues: [
                    DomainIssue {
                        name: "Food",
                        index: 1,
                        kind: Discrete {
                            values: [
                                "Soup",
                            ],
                        },
                    },
                    DomainIssue {
                        name: "Price",
                        index: 2,
                        kind: Integer {
                            lower: 8,
                            upper: 10,
                        },
                    },
                ],
            }
            warning: Lunch/lunch.xml:9:1: <item> repeats value 'Soup' of issue 'Food': one value, as GENIUS offers it"#]],
    );
    let text = edit(DOMAIN, r#"name="Price""#, r#"name="Food""#);
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:12:1: <issue> has name 'Food', which an earlier <issue> has too"#
        ]],
    );
    let text = edit(PROFILE, r#"index="2" name="Price""#, r#"index="1" name="Price""#);
    check_profile(
        &text,
        expect![
            "error: Lunch/lunch_a.xml:13:1: <issue> has index '1', which an earlier <issue> has too"
        ],
    );
}

#[test]
fn refuses_bad_integer_bounds() {
    let text = edit(DOMAIN, r#"lowerbound="8""#, r#"lowerbound="11""#);
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:12:1: <issue> 'Price' has lowerbound '11' above upperbound '10', expected lowerbound <= upperbound"#
        ]],
    );
    let text = edit(DOMAIN, r#"lowerbound="8""#, r#"lowerbound="-9223372036854775808""#);
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:12:1: <issue> 'Price' has 9223372036854775819 options (lowerbound '-9223372036854775808', upperbound '10'), at most 1000000 are supported"#
        ]],
    );
    let text = edit(DOMAIN, r#"lowerbound="8""#, r#"lowerbound="8.5""#);
    check_domain(
        &text,
        expect![[
            r#"error: Lunch/lunch.xml:12:1: <issue> has lowerbound '8.5', expected an integer"#
        ]],
    );
}

#[test]
fn refuses_empty_domains() {
    check_domain(
        "<negotiation_template><utility_space><objective name=\"x\"/></utility_space></negotiation_template>",
        expect!["error: Lunch/lunch.xml:1:38: <objective> has no <issue>, expected at least one"],
    );
    check_domain(
        "<negotiation_template><utility_space><objective><issue index=\"1\" name=\"a\"/></objective></utility_space></negotiation_template>",
        expect![
            "error: Lunch/lunch.xml:1:49: <issue> 'a' has no <item>, expected at least one value"
        ],
    );
    check_domain(
        "<negotiation_template><agent/></negotiation_template>",
        expect![[
            r#"error: Lunch/lunch.xml:1:1: <negotiation_template> has no <utility_space>, expected one"#
        ]],
    );
}

#[test]
fn bytes_that_are_not_utf8_are_refused_at_the_first_invalid_one() {
    let error =
        super::decode_file("Lunch/lunch.xml", b"<utility_space>\n<objective name=\"caf\xe9\"/>")
            .unwrap_err();
    expect!["Lunch/lunch.xml:2:21: malformed XML: byte 0xe9 at offset 36 is not UTF-8, expected UTF-8 text"].assert_eq(&error.to_string());
    let error = super::decode_file("Lunch/lunch.xml", b"<a/>\n\xc3").unwrap_err();
    expect!["Lunch/lunch.xml:2:1: malformed XML: the text ends inside the UTF-8 character that starts at offset 5, expected UTF-8 text"].assert_eq(&error.to_string());
    assert_eq!(super::decode_file("Lunch/lunch.xml", b"<a/>"), Ok("<a/>"));
}

/// A real issue, its bounds in a `<range>` as GENIUS writes them.
const REAL_DOMAIN: &str = r#"<negotiation_template>
<utility_space>
<objective index="0" name="Deal" type="objective" etype="objective">
<issue index="1" name="Price" vtype="real" type="real" etype="real">
<range lowerbound="10.0" upperbound="40.0"></range>
</issue>
<issue index="2" name="Share" vtype="real" lowerbound="0" upperbound="1">
</issue>
</objective>
</utility_space>
</negotiation_template>
"#;

/// A profile of [`REAL_DOMAIN`]; `EVALUATOR` stands for the second issue's evaluator.
const REAL_PROFILE: &str = r#"<utility_space>
<objective index="0" name="Deal" type="objective" etype="objective">
<issue index="1" name="Price" vtype="real" type="real" etype="real">
<range lowerbound="10.0" upperbound="40.0"></range>
<evaluator ftype="linear" parameter1="-0.04" parameter0="1.5"></evaluator>
</issue>
<issue index="2" name="Share" vtype="real" type="real" etype="real">
<range lowerbound="0" upperbound="1"></range>
EVALUATOR
</issue>
<weight index="1" value="0.7"></weight>
<weight index="2" value="0.3"></weight>
</objective>
</utility_space>
"#;

fn real_profile(evaluator: &str) -> String {
    edit(REAL_PROFILE, "EVALUATOR", evaluator)
}

#[test]
fn reads_real_issues_from_a_range_or_the_issues_bounds() {
    check_domain(
        REAL_DOMAIN,
        expect![[r#"
        Domain {
            name: "Deal",
            issues: [
                DomainIssue {
                    name: "Price",
                    index: 1,
                    kind: Real {
                        lower: 10.0,
                        upper: 40.0,
                    },
                },
                DomainIssue {
                    name: "Share",
                    index: 2,
                    kind: Real {
                        lower: 0.0,
                        upper: 1.0,
                    },
                },
            ],
        }"#]],
    );
}

#[test]
fn reads_each_evaluator_genius_gives_real_issues() {
    let triangle =
        r#"<evaluator ftype="triangular" parameter0="0" parameter1="1" parameter2="0.25"/>"#;
    check_profile(
        &real_profile(triangle),
        expect![[r#"
        Profile {
            issues: [
                ProfileIssue {
                    index: 1,
                    name: "Price",
                    weight: Some(
                        0.7,
                    ),
                    evaluator: Real(
                        RealEvaluator {
                            lower: 10.0,
                            upper: 40.0,
                            function: Linear {
                                parameter0: 1.5,
                                parameter1: -0.04,
                            },
                        },
                    ),
                },
                ProfileIssue {
                    index: 2,
                    name: "Share",
                    weight: Some(
                        0.3,
                    ),
                    evaluator: Real(
                        RealEvaluator {
                            lower: 0.0,
                            upper: 1.0,
                            function: Triangular {
                                parameter0: 0.0,
                                parameter1: 1.0,
                                parameter2: 0.25,
                            },
                        },
                    ),
                },
            ],
            reservation: None,
            discount_factor: None,
            constraints: None,
        }"#]],
    );
    for (evaluator, expected) in [
        (r#"<evaluator ftype="constant" parameter0="0.5"/>"#, "Constant { parameter0: 0.5 }"),
        (
            r#"<evaluator ftype="triangular_variable_top" parameter0="0" parameter1="1" parameter2="0.5" parameter3="0.8"/>"#,
            "TriangularVariableTop { parameter0: 0.0, parameter1: 1.0, parameter2: 0.5, parameter3: 0.8 }",
        ),
    ] {
        let profile = parse_profile("Deal/a.xml", &real_profile(evaluator)).unwrap();
        let crate::IssueEvaluator::Real(real) = &profile.issues[1].evaluator else {
            panic!("a real evaluator")
        };
        assert_eq!(format!("{:?}", real.function), expected);
    }
}

#[test]
fn a_real_evaluator_clamps_lines_and_bends_where_genius_does() {
    let profile = parse_profile(
        "Deal/a.xml",
        &real_profile(r#"<evaluator ftype="constant" parameter0="0.5"/>"#),
    )
    .unwrap();
    let crate::IssueEvaluator::Real(real) = &profile.issues[0].evaluator else {
        panic!("a real evaluator")
    };
    // 1.5 - 0.04 x is above 1 below 12.5 and below 0 above 37.5.
    assert_eq!(real.function.bends(10.0, 40.0), [10.0, 12.5, 37.5, 40.0]);
    let evaluations: Vec<f64> =
        [10.0, 12.5, 25.0, 37.5, 40.0].iter().map(|x| real.function.evaluate(*x)).collect();
    assert_eq!(evaluations, [1.0, 1.0, 0.5, 0.0, 0.0]);
}

#[test]
fn refuses_real_evaluators_that_genius_cannot_evaluate() {
    for (evaluator, expected) in [
        (
            "",
            expect![
                "error: Lunch/lunch_a.xml:7:1: <issue> of type 'real' has no <evaluator>, expected one"
            ],
        ),
        (
            r#"<evaluator ftype="faratin" parameter0="1"/>"#,
            expect![
                "error: Lunch/lunch_a.xml:9:1: <evaluator> has ftype 'faratin', expected 'linear', 'constant', 'triangular' or 'triangular_variable_top' (GENIUS's evaluators of real issues)"
            ],
        ),
        (
            r#"<evaluator ftype="triangular" parameter0="0" parameter1="1" parameter2="0"/>"#,
            expect![
                "error: Lunch/lunch_a.xml:9:1: <evaluator> is a triangle whose top (parameter2) is not strictly between its ends (parameter0, parameter1): GENIUS's evaluation then jumps or divides by 0"
            ],
        ),
        (
            r#"<evaluator ftype="constant" parameter0="1.5"/>"#,
            expect![
                "error: Lunch/lunch_a.xml:7:1: <evaluator> of issue 'Share' evaluates 0 to 1.5, expected evaluations in [0, 1]"
            ],
        ),
        (
            r#"<evaluator ftype="linear" parameter0="0.5"/>"#,
            expect![
                "error: Lunch/lunch_a.xml:9:1: <evaluator> has no attribute 'parameter1', expected one"
            ],
        ),
    ] {
        check_profile(&real_profile(evaluator), expected);
    }
}
