//! Tests for writing GENIUS XML: the shape of the output, escaping, and reading it back.

use expect_test::expect;

use super::{escape_attribute, write_domain, write_profile};
use crate::model::{
    Domain, DomainIssue, IssueEvaluator, IssueKind, LinearEvaluator, Profile, ProfileIssue,
    ValueEvaluation,
};
use crate::parse::{parse_domain, parse_profile};

fn lunch_domain() -> Domain {
    Domain {
        name: "Lunch & \"dinner\"".to_owned(),
        issues: vec![
            DomainIssue {
                name: "Food".to_owned(),
                index: 1,
                kind: IssueKind::Discrete {
                    values: vec!["Soup <hot>".to_owned(), " tab\there\nnew line ".to_owned()],
                },
            },
            DomainIssue {
                name: "Price".to_owned(),
                index: 2,
                kind: IssueKind::Integer { lower: -3, upper: 4 },
            },
        ],
    }
}

fn lunch_profile() -> Profile {
    Profile {
        issues: vec![
            ProfileIssue {
                index: 1,
                name: "Food".to_owned(),
                weight: Some(0.1),
                evaluator: IssueEvaluator::Discrete {
                    evaluations: vec![
                        ValueEvaluation {
                            value: " tab\there\nnew line ".to_owned(),
                            evaluation: 370.0,
                        },
                        ValueEvaluation { value: "Soup <hot>".to_owned(), evaluation: 1e-7 },
                    ],
                },
            },
            ProfileIssue {
                index: 2,
                name: "Price".to_owned(),
                weight: Some(0.9),
                evaluator: IssueEvaluator::Integer(LinearEvaluator {
                    lower: -3,
                    upper: 4,
                    slope: -0.19999999999999998,
                    offset: 1.0,
                }),
            },
        ],
        reservation: Some(0.0),
        discount_factor: None,
        constraints: None,
    }
}

#[test]
fn writes_domain_in_genius_shape() {
    expect![[r#"
        <negotiation_template>
          <utility_space number_of_issues="2">
            <objective index="0" description="" name="Lunch &amp; &quot;dinner&quot;" type="objective" etype="objective">
              <issue index="1" name="Food" vtype="discrete" type="discrete" etype="discrete">
                <item index="1" value="Soup &lt;hot&gt;"></item>
                <item index="2" value=" tab&#9;here&#10;new line "></item>
              </issue>
              <issue index="2" name="Price" vtype="integer" type="integer" etype="integer" lowerbound="-3" upperbound="4"></issue>
            </objective>
          </utility_space>
        </negotiation_template>
    "#]]
    .assert_eq(&write_domain(&lunch_domain()));
}

#[test]
fn writes_profile_in_genius_shape() {
    expect![[r#"
        <utility_space number_of_issues="2">
          <objective index="0" description="" name="Lunch &amp; &quot;dinner&quot;" type="objective" etype="objective">
            <issue index="1" name="Food" vtype="discrete" type="discrete" etype="discrete">
              <item index="1" value=" tab&#9;here&#10;new line " evaluation="370.0"></item>
              <item index="2" value="Soup &lt;hot&gt;" evaluation="1e-7"></item>
            </issue>
            <issue index="2" name="Price" vtype="integer" type="integer" etype="integer" lowerbound="-3" upperbound="4">
              <evaluator ftype="linear" slope="-0.19999999999999998" offset="1.0"></evaluator>
            </issue>
            <weight index="1" value="0.1"></weight>
            <weight index="2" value="0.9"></weight>
          </objective>
          <reservation value="0.0"></reservation>
        </utility_space>
    "#]]
    .assert_eq(&write_profile(&lunch_domain(), &lunch_profile()));
}

#[test]
fn reads_back_what_it_writes() {
    let domain = lunch_domain();
    assert_eq!(parse_domain("d.xml", &write_domain(&domain)), Ok(domain.clone()));
    let profile = lunch_profile();
    assert_eq!(parse_profile("p.xml", &write_profile(&domain, &profile)), Ok(profile.clone()));
    let mut without_weights = profile;
    for issue in &mut without_weights.issues {
        issue.weight = None;
    }
    without_weights.discount_factor = Some(0.5);
    let text = write_profile(&domain, &without_weights);
    assert_eq!(parse_profile("p.xml", &text), Ok(without_weights));
}

#[test]
fn replaces_characters_xml_cannot_hold() {
    expect!["a\u{fffd}b\u{fffd}c&#13;d\u{1f600}"]
        .assert_eq(&escape_attribute("a\u{0}b\u{ffff}c\rd\u{1f600}"));
}
