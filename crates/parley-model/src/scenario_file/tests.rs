//! Tests of the scenario format: every diagnostic kind with its position, round trips, and
//! properties over random scenarios and arbitrary text.

use expect_test::{Expect, expect};
use proptest::prelude::*;

use super::{read_scenario, write_scenario};
use crate::builtin::TALKS_2025_TOML;
use crate::scenario::Scenario;

/// A small valid scenario that each test adds its own lines to.
const BASE: &str = r#"[scenario]
id = "base"
title = "Base"
as_of = 2025-12-03

[[sources]]
id = "report"
title = "Report"
sections = ["One", "Two"]

[[parties]]
id = "a"
name = "A"
role = "principal"
delegates = [{ id = "alice", name = "Alice" }]

[[parties]]
id = "b"
name = "B"
role = "principal"
delegates = [{ id = "bob", name = "Bob" }]

[[issues]]
id = "land"
title = "Land"
category = "territory"
options = [{ id = "keep" }, { id = "give" }]

[[tracks]]
id = "ab"
name = "A-B"
parties = ["a", "b"]

[[positions]]
party = "a"
issue = "land"
importance = "high"
stances = { keep = "preferred", give = "red-line" }
cites = ["report#One"]
"#;

/// Reads `BASE` followed by `extra` and renders every diagnostic, one per line.
fn check(extra: &str, expect: Expect) {
    let text = format!("{BASE}{extra}");
    let loaded = read_scenario(&text);
    let rendered: Vec<String> =
        loaded.diagnostics.iter().map(|diagnostic| diagnostic.render("t.toml")).collect();
    expect.assert_eq(&rendered.join("\n"));
}

#[test]
fn the_base_scenario_is_valid() {
    check("", expect![[""]]);
}

#[test]
fn syntax_errors_are_all_reported_with_their_position() {
    let loaded = read_scenario("[scenario]\nid = \nname = [1,\n");
    let rendered: Vec<String> =
        loaded.diagnostics.iter().map(|diagnostic| diagnostic.render("t.toml")).collect();
    expect![[r#"
        t.toml:2:6: error[syntax]: string values must be quoted, expected literal string
        t.toml:3:11: error[syntax]: unclosed array, expected `]`"#]]
    .assert_eq(&rendered.join("\n"));
    assert!(loaded.scenario.is_none());
}

/// Renders every diagnostic of reading `bytes`, one per line.
fn check_bytes(bytes: &[u8], expect: Expect) {
    let loaded = super::read_scenario_bytes(bytes);
    let rendered: Vec<String> =
        loaded.diagnostics.iter().map(|diagnostic| diagnostic.render("t.toml")).collect();
    expect.assert_eq(&rendered.join("\n"));
    assert!(loaded.scenario.is_none());
}

#[test]
fn text_that_is_not_utf8_is_refused_at_its_first_invalid_byte() {
    // Line 3, after `title = "ab` and a two-byte character: column 13.
    check_bytes(
        b"[scenario]\nid = \"x\"\ntitle = \"ab\xc3\xa9\xff\xfecd\"\n",
        expect![[
            r#"t.toml:3:13: error[syntax]: byte 0xff at offset 33 is not UTF-8, expected UTF-8 text"#
        ]],
    );
    check_bytes(
        b"[scenario]\nid = \"\xe2\x82",
        expect![
            "t.toml:2:7: error[syntax]: the text ends inside the UTF-8 character that starts at offset 17, expected UTF-8 text"
        ],
    );
    assert!(
        super::read_scenario_bytes(b"[scenario]\nid = \"x\"\ntitle = \"\xc3\xa9\"\n")
            .diagnostics
            .is_empty()
    );
}

#[test]
fn nesting_beyond_the_recursion_limit_is_reported_with_its_position() {
    let deep_key = format!("[scenario]\nid = \"x\"\n\n  a{} = 1\n", ".a".repeat(100));
    check_bytes(
        deep_key.as_bytes(),
        expect![[
            r#"t.toml:4:3: error[syntax]: key of 101 dotted parts nests tables too deeply (the reader's recursion limit), expected fewer parts"#
        ]],
    );
    let deep_header = format!("[scenario]\n[a{}]\n", ".\"b.c\"".repeat(90));
    check_bytes(
        deep_header.as_bytes(),
        expect![[
            r#"t.toml:2:2: error[syntax]: key of 91 dotted parts nests tables too deeply (the reader's recursion limit), expected fewer parts"#
        ]],
    );
    let deep_array = format!("[scenario]\nx = {}{}\n", "[".repeat(200), "]".repeat(200));
    check_bytes(
        deep_array.as_bytes(),
        expect![[r#"t.toml:2:85: error[syntax]: cannot recurse further; max recursion depth met"#]],
    );
    let deep_table = format!("x = {}1{}\n", "{a=".repeat(200), "}".repeat(200));
    check_bytes(
        deep_table.as_bytes(),
        expect![[
            r#"t.toml:1:245: error[syntax]: cannot recurse further; max recursion depth met"#
        ]],
    );
    // A long key inside a string or a comment is no key.
    let quoted = format!(
        "[scenario]\nid = \"x\"\ntitle = \"a{}\"\n# a{}\n",
        ".a".repeat(100),
        ".a".repeat(100)
    );
    assert_eq!(super::deep_key(&quoted), None);
}

#[test]
fn a_missing_scenario_table_is_reported_at_the_start_of_the_file() {
    let loaded = read_scenario("[[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"principal\"\n");
    let rendered: Vec<String> =
        loaded.diagnostics.iter().map(|diagnostic| diagnostic.render("t.toml")).collect();
    expect!["t.toml:1:1: error[shape]: missing table [scenario], expected one with at least id and title (at scenario)"].assert_eq(&rendered.join("\n"));
}

#[test]
fn shape_errors_name_the_field_and_what_was_expected() {
    check(
        "\n[[claims]]\nid = \"c\"\nclaimant = \"a\"\nstatement = \"x\"\nstatus = \"contested\"\ncolour = 1\n",
        expect![
            "t.toml:46:1: error[shape]: unknown field `colour`, expected one of `id`, `claimant`, `statement`, `date`, `place`, `status`, `disputes`, `visibility`, `cites` (at claims[0].colour)"
        ],
    );
    check(
        "\n[[claims]]\nid = \"c\"\nclaimant = \"a\"\nstatement = \"x\"\nstatus = \"contested\"\ncites = [{ source = \"report\", sectoin = \"Intro\" }]\n",
        expect![
            "t.toml:46:41: error[shape]: unknown field `sectoin` in a citation, expected `source`, `section`, `speaker` or `quote` (at claims[0].cites[0].sectoin)"
        ],
    );
    check(
        "\n[[claims]]\nid = \"c\"\nclaimant = \"a\"\nstatement = \"x\"\nstatus = \"contested\"\nvisibility = { track = \"ab\", colour = 1 }\n",
        expect![
            "t.toml:46:39: error[shape]: unknown field `colour` in a visibility, expected `track` (at claims[0].visibility.colour)"
        ],
    );
    check(
        "\n[[tracks]]\nid = \"t2\"\nname = \"T\"\nparties = \"a\"\n",
        expect![[
            r#"t.toml:44:11: error[shape]: invalid type: string "a", expected a list of ids such as ["a"] (at tracks[1].parties)"#
        ]],
    );
    check(
        "\n[[claims]]\nid = \"c\"\nclaimant = \"a\"\nstatement = \"x\"\nstatus = \"rumoured\"\n",
        expect![
            "t.toml:45:10: error[shape]: unknown value 'rumoured', expected one of: contested, confirmed, refuted, unverified (at claims[0].status)"
        ],
    );
    check(
        "\n[[claims]]\nid = \"c\"\nclaimant = \"a\"\nstatement = \"x\"\nstatus = \"contested\"\ndate = \"2025-13-01\"\n",
        expect![
            "t.toml:46:8: error[shape]: invalid date '2025-13-01', expected YYYY-MM-DD, YYYY-MM or YYYY (at claims[0].date)"
        ],
    );
    check(
        "\n[extras]\nx = 1\n",
        expect![
            "t.toml:41:1: error[shape]: unknown table 'extras', expected one of: scenario, scale, sources, parties, issues, tracks, meetings, drafts, positions, constraint_utilities, claims (at extras)"
        ],
    );
}

#[test]
fn duplicate_ids() {
    check(
        "\n[[issues]]\nid = \"land\"\ntitle = \"Again\"\ncategory = \"other\"\noptions = [{ id = \"x\" }, { id = \"x\" }]\n",
        expect![[r#"
            t.toml:42:6: error[duplicate-id]: duplicate issue id 'land', first used at issues[0].id (at issues[1].id)
            t.toml:45:33: error[duplicate-id]: duplicate option (in issue 'land') id 'x', first used at issues[1].options[0].id (at issues[1].options[1].id)"#]],
    );
}

#[test]
fn unknown_references() {
    check(
        "\n[[tracks]]\nid = \"ax\"\nname = \"A-X\"\nparties = [\"a\", \"x\"]\ncites = [\"nowhere#One\", \"report#Three\"]\n",
        expect![[r#"
            t.toml:44:17: error[unknown-reference]: unknown party 'x' (at tracks[1].parties[1])
            t.toml:45:10: error[unknown-reference]: unknown source 'nowhere' (at tracks[1].cites[0].source)
            t.toml:45:25: error[unknown-reference]: source 'report' has no section 'Three', expected one of: One, Two (at tracks[1].cites[1].section)"#]],
    );
}

#[test]
fn a_stance_on_an_option_the_issue_does_not_have() {
    check(
        "\n[[positions]]\nparty = \"b\"\nissue = \"land\"\nstances = { keep = \"red-line\", share = \"preferred\" }\n",
        expect![
            "t.toml:44:40: error[unknown-option]: issue 'land' has no option 'share' (at positions[1].stances.share)"
        ],
    );
}

#[test]
fn negative_weights_and_a_weight_of_0() {
    check(
        "\n[[positions]]\nparty = \"b\"\nissue = \"land\"\nweight = -0.5\nstances = { keep = 0.2, give = 1.5 }\n",
        expect![[r#"
            t.toml:44:10: error[non-positive-weight]: weight -0.5 is negative or not a number, expected 0 (the issue does not matter to the party) or more (at positions[1].weight)
            t.toml:45:32: error[out-of-range]: value 1.5 is outside [0, 1] (at positions[1].stances.give)"#]],
    );
    // A weight of 0 says the issue does not matter to the party, as in GENIUS.
    check(
        "\n[[positions]]\nparty = \"b\"\nissue = \"land\"\nweight = 0.0\nstances = { keep = 0.2, give = 1.0 }\n",
        expect![[r#""#]],
    );
    check(
        "\n[scale]\nimportances = { low = [-1.0, 2.0] }\n",
        expect![[r#"
            t.toml:42:23: error[non-positive-weight]: weight -1 is not positive, expected a weight above 0 (at scale.importances.low)
            t.toml:42:23: error[out-of-range]: interval [-1, 2] is not valid, expected two numbers in [0, inf], the first not above the second (at scale.importances.low)"#]],
    );
}

#[test]
fn a_meeting_attendee_who_is_no_partys_delegate() {
    check(
        "\n[[meetings]]\nid = \"m\"\ntrack = \"ab\"\nstatus = \"held\"\nattendees = [\"alice\", \"b\", \"mallory\"]\n",
        expect![
            "t.toml:45:28: error[unknown-attendee]: attendee 'mallory' is no party's delegate (nor a party) (at meetings[0].attendees[2])"
        ],
    );
}

#[test]
fn lineage_must_account_for_every_parent_point() {
    let drafts = r#"
[[drafts]]
id = "v1"
title = "V1"
status = "superseded"
point_count = 3
points = [{ id = "p1", issue = "land", option = "keep" }, { id = "p2" }]

[[drafts]]
id = "v2"
title = "V2"
status = "proposed"
parents = ["v1"]
points = [{ id = "q1", issue = "land", brackets = ["keep", "give"] }]
lineage = [{ parent = "v1", points = ["p1"], fate = "merged", into = "q1" }]
"#;
    check(
        drafts,
        expect![[
            r#"t.toml:54:11: error[lineage-gap]: lineage leaves point(s) p2 and 1 undescribed point(s) of parent 'v1' unaccounted for, expected an entry for each (points = "rest" with fate = "unknown" where the sources do not say) (at drafts[1].lineage)"#
        ]],
    );
    let fixed = drafts.replace(
        "lineage = [{ parent = \"v1\", points = [\"p1\"], fate = \"merged\", into = \"q1\" }]",
        "lineage = [{ parent = \"v1\", points = [\"p1\"], fate = \"merged\", into = \"q1\" }, { parent = \"v1\", points = \"rest\", fate = \"dropped\" }]",
    );
    check(&fixed, expect![[""]]);
}

#[test]
fn a_draft_that_is_its_own_ancestor() {
    check(
        "\n[[drafts]]\nid = \"x\"\ntitle = \"X\"\nstatus = \"proposed\"\nparents = [\"y\"]\n\n[[drafts]]\nid = \"y\"\ntitle = \"Y\"\nstatus = \"proposed\"\nparents = [\"x\"]\n",
        expect![[r#"
            t.toml:45:11: error[lineage-cycle]: draft 'x' is its own ancestor (at drafts[0].parents)
            t.toml:51:11: error[lineage-cycle]: draft 'y' is its own ancestor (at drafts[1].parents)"#]],
    );
}

#[test]
fn a_cycle_through_a_draft_hidden_from_one_of_its_authors_is_a_warning() {
    // B's private draft revises A's public one, which names B's as its parent: A cannot see
    // B's draft, so refusing A's change would tell A of it.
    check(
        "\n[[drafts]]\nid = \"x\"\ntitle = \"X\"\nauthor = \"a\"\nstatus = \"proposed\"\nparents = [\"y\"]\n\n[[drafts]]\nid = \"y\"\ntitle = \"Y\"\nauthor = \"b\"\nstatus = \"proposed\"\nvisibility = \"private\"\nparents = [\"x\"]\n",
        expect![[r#"
            t.toml:46:11: warning[lineage-cycle]: draft 'x' is its own ancestor (a warning: the records are kept by different parties, and one may not see the other) (at drafts[0].parents)
            t.toml:54:11: warning[lineage-cycle]: draft 'y' is its own ancestor (a warning: the records are kept by different parties, and one may not see the other) (at drafts[1].parents)"#]],
    );
}

#[test]
fn dates_out_of_order() {
    check(
        r#"
[[drafts]]
id = "v1"
title = "V1"
status = "superseded"
date = 2025-11-20

[[drafts]]
id = "v2"
title = "V2"
status = "proposed"
date = 2025-11-10
parents = ["v1"]
lineage = [{ parent = "v1", points = "rest", fate = "unknown" }]

[[meetings]]
id = "future"
track = "ab"
status = "held"
date = 2026-01-05

[[claims]]
id = "c1"
claimant = "a"
statement = "X happened."
status = "contested"
date = 2025-11-20

[[claims]]
id = "c2"
claimant = "b"
statement = "X did not happen."
status = "contested"
disputes = "c1"
date = 2025-11-19
"#,
        expect![[r#"
            t.toml:51:8: error[date-order]: draft 'v2' is dated 2025-11-10, before its parent 'v1' dated 2025-11-20 (at drafts[1].date)
            t.toml:59:8: error[date-order]: a held meeting is dated 2026-01-05, after the scenario's date 2025-12-03 (at meetings[0].date)
            t.toml:74:8: error[date-order]: counter-claim 'c2' is dated 2025-11-19, before the claim 'c1' it disputes, dated 2025-11-20 (at claims[1].date)"#]],
    );
}

#[test]
fn five_different_mistakes_are_all_reported_with_line_and_column() {
    let text = BASE
        .replace("parties = [\"a\", \"b\"]", "parties = [\"a\", \"c\"]")
        .replace(
            "stances = { keep = \"preferred\", give = \"red-line\" }",
            "stances = { keep = \"preferred\", grant = \"red-line\" }",
        )
        .replace("importance = \"high\"", "weight = -2.0")
        .replace(
            "delegates = [{ id = \"bob\", name = \"Bob\" }]",
            "delegates = [{ id = \"alice\", name = \"Bob\" }]",
        )
        + "\n[[meetings]]\nid = \"m\"\ntrack = \"ab\"\nstatus = \"held\"\nattendees = [\"carol\"]\n";
    let loaded = read_scenario(&text);
    let rendered: Vec<String> =
        loaded.diagnostics.iter().map(|diagnostic| diagnostic.render("t.toml")).collect();
    expect![[r#"
        t.toml:21:21: error[duplicate-id]: duplicate delegate id 'alice', first used at parties[0].delegates[0].id (at parties[1].delegates[0].id)
        t.toml:32:17: error[unknown-reference]: unknown party 'c' (at tracks[0].parties[1])
        t.toml:37:10: error[non-positive-weight]: weight -2 is negative or not a number, expected 0 (the issue does not matter to the party) or more (at positions[0].weight)
        t.toml:38:41: error[unknown-option]: issue 'land' has no option 'grant' (at positions[0].stances.grant)
        t.toml:45:14: error[unknown-attendee]: attendee 'carol' is no party's delegate (nor a party) (at meetings[0].attendees[0])"#]]
    .assert_eq(&rendered.join("\n"));
}

#[test]
fn a_reference_to_an_unreadable_entity_is_not_reported_twice() {
    check(
        "\n[[parties]]\nid = \"c\"\nname = 3\nrole = \"observer\"\n\n[[tracks]]\nid = \"ac\"\nname = \"A-C\"\nparties = [\"a\", \"c\"]\n",
        expect![
            "t.toml:43:8: error[shape]: invalid type: integer `3`, expected a string (at parties[2].name)"
        ],
    );
}

#[test]
fn citations_name_their_speaker_and_quote_a_short_phrase_at_most() {
    check(
        r#"
[[tracks]]
id = "ab2"
name = "A-B again"
parties = ["a", "b"]
cites = [
  { source = "report", section = "One", speaker = "Alice", quote = "a few words" },
  { source = "report", section = "Two", quote = "one two three four five six seven eight nine ten eleven twelve thirteen" },
  { source = "report", speaker = "Bob", said = "x" },
]
"#,
        expect![[r#"
            t.toml:47:49: error[out-of-range]: quote has 13 words, expected a short phrase of at most 12 (at tracks[1].cites[1].quote)
            t.toml:48:48: error[shape]: unknown field `said` in a citation, expected `source`, `section`, `speaker` or `quote` (at tracks[1].cites[2].said)"#]],
    );
}

#[test]
fn conditions_name_a_party_and_inferred_figures_cite_a_sentence() {
    check(
        r#"
[[meetings]]
id = "next"
track = "ab"
status = "planned"
status_basis = "inferred"
condition = { text = "the talks look fair", party = "c" }

[[positions]]
party = "b"
issue = "land"
importance = "low"
importance_basis = "inferred"
confidence = "guessed"
condition = { text = "A gives land", party = "a", by = "x" }
stances = { keep = "objection" }
"#,
        expect![[r#"
            t.toml:45:16: warning[inconsistent]: the meeting's status is inferred but cites nothing, expected the citation of the sentence it reads (at meetings[0].status_basis)
            t.toml:46:53: error[unknown-reference]: unknown party 'c' (at meetings[0].condition.party)
            t.toml:52:20: warning[inconsistent]: the importance is inferred but cites nothing, expected the citation of the sentence it reads (at positions[1].importance_basis)
            t.toml:53:14: error[shape]: unknown value 'guessed', expected one of: stated, reported, inferred, assumed (at positions[1].confidence)
            t.toml:54:51: error[shape]: unknown field `by`, expected `text` or `party` (at positions[1].condition.by)"#]],
    );
    check(
        r#"
[[meetings]]
id = "next"
track = "ab"
status = "planned"
status_basis = "inferred"
condition = { text = "the talks look fair", party = "c" }

[[positions]]
party = "b"
issue = "land"
importance = "low"
importance_basis = "inferred"
condition = { text = "A gives land", party = "a" }
stances = { keep = "objection" }
"#,
        expect![[r#"
            t.toml:45:16: warning[inconsistent]: the meeting's status is inferred but cites nothing, expected the citation of the sentence it reads (at meetings[0].status_basis)
            t.toml:46:53: error[unknown-reference]: unknown party 'c' (at meetings[0].condition.party)
            t.toml:52:20: warning[inconsistent]: the importance is inferred but cites nothing, expected the citation of the sentence it reads (at positions[1].importance_basis)"#]],
    );
}

#[test]
fn an_importance_takes_the_positions_confidence_unless_it_says_otherwise() {
    let text = format!(
        "{BASE}\n[[positions]]\nparty = \"b\"\nissue = \"land\"\nimportance = \"low\"\nconfidence = \"inferred\"\nstances = {{ keep = \"objection\" }}\ncites = [\"report#Two\"]\n"
    );
    let scenario = read_scenario(&text).scenario.unwrap().into_scenario();
    assert_eq!(scenario.positions[0].importance_basis, crate::Basis::Reported);
    assert_eq!(scenario.positions[1].importance_basis, crate::Basis::Inferred);
    let written = write_scenario(&scenario);
    assert!(!written.contains("importance_basis"), "{written}");
}

#[test]
fn the_builtin_scenario_loads_without_warnings() {
    let loaded = read_scenario(TALKS_2025_TOML);
    assert_eq!(loaded.diagnostics, Vec::new());
    assert!(loaded.scenario.is_some());
}

/// An issue of four ordered options and a constraint utility of party `b` over both issues.
const CONSTRAINTS: &str = r#"
[[issues]]
id = "price"
title = "Price"
category = "other"
options = [{ id = "0" }, { id = "1" }, { id = "2" }, { id = "3" }]

[[constraint_utilities]]
party = "b"
max_utility = 10
basis = "assumed"
visibility = { track = "ab" }
note = "From the GENIUS profile."
cites = ["report#Two"]

[[constraint_utilities.constraints]]
value = 6
includes = [{ issue = "price", from = "1", to = "2" }, { issue = "land", from = "give", to = "give" }]

[[constraint_utilities.constraints]]
value = 3
excludes = [{ issue = "price", from = "0", to = "0" }]

[[constraint_utilities.constraints]]
value = 2
includes = []
"#;

#[test]
fn a_constraint_utility_reads_and_round_trips() {
    check(CONSTRAINTS, expect![[""]]);
    let loaded = read_scenario(&format!("{BASE}{CONSTRAINTS}"));
    let scenario = loaded.scenario.unwrap().into_scenario();
    let utility = &scenario.constraint_utilities[0];
    assert_eq!(utility.party.as_str(), "b");
    assert_eq!(utility.max_utility, 10.0);
    assert_eq!(utility.basis, crate::Basis::Assumed);
    let kinds: Vec<(f64, &str, usize)> = utility
        .constraints
        .iter()
        .map(|constraint| (constraint.value, constraint.kind.as_str(), constraint.bounds.len()))
        .collect();
    assert_eq!(kinds, [(6.0, "includes", 2), (3.0, "excludes", 1), (2.0, "includes", 0)]);
    assert_eq!(round_trip(&scenario), scenario);
}

#[test]
fn every_problem_of_a_constraint_utility_is_reported_at_its_field() {
    check(
        r#"
[[issues]]
id = "price"
title = "Price"
category = "other"
options = [{ id = "0" }, { id = "1" }, { id = "2" }]

[[constraint_utilities]]
party = "nobody"
max_utility = 0
visibility = { track = "nowhere" }

[[constraint_utilities.constraints]]
value = nan
includes = [{ issue = "price", from = "2", to = "1" }, { issue = "price", from = "0", to = "9" }, { issue = "sea", from = "a", to = "b" }]

[[constraint_utilities]]
party = "a"
max_utility = inf
constraints = [{ value = 1, excludes = [{ issue = "land", from = "keep", to = "give" }] }]

[[constraint_utilities]]
party = "a"
max_utility = 1
"#,
        expect![[r#"
            t.toml:38:11: error[inconsistent]: party 'a' has a constraint utility (constraint_utilities[1]), so its positions may give no importance, weight or stances: a party's utility is either additive (importances and stances in positions) or by constraints, not both (at positions[0].stances)
            t.toml:48:9: error[unknown-reference]: unknown party 'nobody' (at constraint_utilities[0].party)
            t.toml:49:15: error[out-of-range]: max_utility 0 is not valid, expected a finite number above 0 (at constraint_utilities[0].max_utility)
            t.toml:50:14: error[unknown-reference]: unknown track 'nowhere' (at constraint_utilities[0].visibility)
            t.toml:53:9: error[out-of-range]: value NaN is not valid, expected a finite number (at constraint_utilities[0].constraints[0].value)
            t.toml:54:39: error[inconsistent]: option '2' comes after '1' among the options of issue 'price', expected a range from an option to the same or a later one (at constraint_utilities[0].constraints[0].includes[0].from)
            t.toml:54:66: error[duplicate-id]: issue 'price' is bounded twice in one constraint, first at includes[0], expected one bound per issue (at constraint_utilities[0].constraints[0].includes[1].issue)
            t.toml:54:92: error[unknown-option]: issue 'price' has no option '9' (at constraint_utilities[0].constraints[0].includes[1].to)
            t.toml:54:109: error[unknown-reference]: unknown issue 'sea' (at constraint_utilities[0].constraints[0].includes[2].issue)
            t.toml:58:15: error[out-of-range]: max_utility inf is not valid, expected a finite number above 0 (at constraint_utilities[1].max_utility)
            t.toml:61:1: warning[inconsistent]: the constraint utility of party 'a' has no constraints: every outcome is worth 0 to it (at constraint_utilities[2].constraints)
            t.toml:62:9: error[inconsistent]: party 'a' has two constraint utilities, first at constraint_utilities[1], expected at most one (at constraint_utilities[2].party)"#]],
    );
}

#[test]
fn a_constraint_utilitys_shape_errors_name_the_field() {
    // Every table is read on after an unknown field or a bad value, so the second one's three
    // problems are all reported; one that lacks a required field is left out of the scenario.
    check(
        r#"
[[constraint_utilities]]
party = "b"
max_utility = 1
constraints = [{ value = 1, includes = [{ issue = "land", from = "keep", to = "give", colour = 1 }] }]

[[constraint_utilities]]
party = "b"
max_utility = 1
basis = "guessed"
constraints = [
  { value = 1 },
  { value = 2, includes = [], excludes = [] },
]

[[constraint_utilities]]
party = "a"
max_utility = 1
constraints = [{ value = 1, weight = 2, includes = [] }]

[[constraint_utilities]]
party = "a"
constraints = []
"#,
        expect![[r#"
            t.toml:38:11: error[inconsistent]: party 'a' has a constraint utility (constraint_utilities[2]), so its positions may give no importance, weight or stances: a party's utility is either additive (importances and stances in positions) or by constraints, not both (at positions[0].stances)
            t.toml:44:87: error[shape]: unknown field `colour`, expected one of `issue`, `from`, `to` (at constraint_utilities[0].constraints[0].includes[0].colour)
            t.toml:47:9: error[inconsistent]: party 'b' has two constraint utilities, first at constraint_utilities[0], expected at most one (at constraint_utilities[1].party)
            t.toml:49:9: error[shape]: unknown value 'guessed', expected one of: stated, reported, inferred, assumed (at constraint_utilities[1].basis)
            t.toml:51:3: error[shape]: a constraint needs its bounds: give includes = [...] or excludes = [...] (includes = [] is always satisfied) (at constraint_utilities[1].constraints[0].includes)
            t.toml:52:42: error[shape]: give includes or excludes, not both (at constraint_utilities[1].constraints[1].excludes)
            t.toml:58:29: error[shape]: unknown field `weight`, expected one of `value`, `includes`, `excludes` (at constraint_utilities[2].constraints[0].weight)
            t.toml:60:1: error[shape]: missing field `max_utility` (at constraint_utilities[3])"#]],
    );
}

#[test]
fn a_party_with_a_constraint_utility_has_no_importances_or_stances() {
    check(
        r#"
[[positions]]
party = "b"
issue = "land"
date = 2025-01-01
note = "B's statement, with no stances: allowed."

[[positions]]
party = "b"
issue = "land"
weight = 2.0

[[constraint_utilities]]
party = "a"
max_utility = 1
constraints = [{ value = 1, includes = [] }]

[[constraint_utilities]]
party = "b"
max_utility = 1
constraints = [{ value = 1, includes = [] }]
"#,
        expect![[r#"
            t.toml:38:11: error[inconsistent]: party 'a' has a constraint utility (constraint_utilities[0]), so its positions may give no importance, weight or stances: a party's utility is either additive (importances and stances in positions) or by constraints, not both (at positions[0].stances)
            t.toml:50:10: error[inconsistent]: party 'b' has a constraint utility (constraint_utilities[1]), so its positions may give no importance, weight or stances: a party's utility is either additive (importances and stances in positions) or by constraints, not both (at positions[2].weight)"#]],
    );
}

fn round_trip(scenario: &Scenario) -> Scenario {
    let text = write_scenario(scenario);
    let loaded = read_scenario(&text);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render("written.toml"))
        .collect();
    assert_eq!(errors, Vec::<String>::new(), "the written text:\n{text}");
    loaded.scenario.expect("no errors").into_scenario()
}

#[test]
fn the_builtin_scenario_round_trips() {
    let scenario = read_scenario(TALKS_2025_TOML).scenario.unwrap().into_scenario();
    assert_eq!(round_trip(&scenario), scenario);
}

mod properties {
    //! Random valid scenarios round-trip; arbitrary text never makes the reader panic.

    use proptest::collection::vec;

    use super::*;
    use crate::scale::Scale;
    use crate::scenario::*;
    use crate::stance::{Importance, ImportanceLevel, Stance, StanceLevel};
    use crate::{Basis, Date, DatePrecision, FuzzyDate, Id, Place, PlacePrecision};

    fn id(prefix: &str, idx: usize) -> Id {
        Id::parse(&format!("{prefix}{idx}")).unwrap()
    }

    fn any_text() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 ,.'\"#\\\\é\n-]{0,24}"
    }

    fn any_date() -> impl Strategy<Value = FuzzyDate> {
        (1990i16..2030, 1i8..=12, 1i8..=28, 0usize..4, 0usize..3).prop_map(
            |(year, month, day, precision, basis)| {
                let precision = DatePrecision::ALL[precision];
                let (month, day) = match precision {
                    DatePrecision::Year => (1, 1),
                    DatePrecision::Month => (month, 1),
                    _ => (month, day),
                };
                FuzzyDate {
                    date: Date::new(year, month, day).unwrap(),
                    precision,
                    basis: Basis::ALL[basis],
                }
            },
        )
    }

    fn any_place() -> impl Strategy<Value = Option<Place>> {
        proptest::option::of((any_text(), proptest::option::of(any_text()), 0usize..3).prop_map(
            |(name, region, precision)| Place {
                name,
                region,
                country: None,
                precision: PlacePrecision::ALL[precision],
            },
        ))
    }

    fn any_stance() -> impl Strategy<Value = Stance> {
        prop_oneof![
            (0usize..6).prop_map(|level| Stance::Level(StanceLevel::ALL[level])),
            (0u32..=100).prop_map(|value| Stance::Value(f64::from(value) / 100.0)),
        ]
    }

    /// Random scenarios whose references all resolve.
    fn any_scenario() -> impl Strategy<Value = Scenario> {
        let n_parties = 2usize..4;
        let n_issues = 1usize..4;
        (n_parties, n_issues, any_text(), proptest::option::of(any_date()), any::<bool>())
            .prop_flat_map(|(n_parties, n_issues, title, as_of, custom_scale)| {
                let parties = vec(
                    (0usize..5, any_text(), proptest::option::of(0u32..=100), 0usize..3),
                    n_parties,
                );
                let issues = vec((0usize..10, 1usize..4, any_text()), n_issues);
                let positions = vec(
                    (
                        0..n_parties,
                        0..n_issues,
                        vec(any_stance(), 3),
                        0usize..5,
                        proptest::option::of(any_date()),
                    ),
                    0..6,
                );
                let claims = vec(
                    (
                        0..n_parties,
                        any_text(),
                        0usize..4,
                        proptest::option::of(any_date()),
                        any_place(),
                    ),
                    0..3,
                );
                let drafts =
                    vec((any_text(), 0usize..4, proptest::option::of(1u32..30), 0usize..6), 0..3);
                // Per constraint utility: its party, max utility, basis, visibility, note and
                // constraints of (value, excludes, bounds of (issue, from, to) taken modulo
                // the scenario's sizes).
                let constraint_utilities = vec(
                    (
                        0..n_parties,
                        1u32..=40,
                        0usize..3,
                        0usize..3,
                        proptest::option::of(any_text()),
                        vec(
                            (
                                -8i32..=20,
                                any::<bool>(),
                                vec((0..n_issues, 0usize..3, 0usize..3), 0..3),
                            ),
                            0..4,
                        ),
                    ),
                    0..3,
                );
                (
                    Just((n_parties, n_issues, title, as_of, custom_scale)),
                    parties,
                    issues,
                    positions,
                    claims,
                    drafts,
                    constraint_utilities,
                )
            })
            .prop_map(
                |(
                    (n_parties, _n_issues, title, as_of, custom_scale),
                    parties,
                    issues,
                    positions,
                    claims,
                    drafts,
                    constraint_utilities,
                )| {
                    let mut scenario = Scenario {
                        id: "random".to_owned(),
                        title,
                        as_of,
                        sources: vec![Source {
                            id: id("s", 0),
                            title: "Source".to_owned(),
                            publisher: None,
                            date: None,
                            address: None,
                            sections: vec!["One".to_owned()],
                        }],
                        ..Scenario::default()
                    };
                    if custom_scale {
                        scenario.scale = Scale { basis: Basis::Reported, ..Scale::default() };
                        scenario.scale.stances[1].high = 0.25;
                    }
                    for (party_idx, (role, name, reservation, consent)) in
                        parties.into_iter().enumerate()
                    {
                        scenario.parties.push(Party {
                            id: id("p", party_idx),
                            name,
                            role: Role::ALL[role],
                            consent: [
                                Consent::Required,
                                Consent::NotRequired,
                                Consent::OnIssues(vec![id("i", 0)]),
                            ][consent]
                                .clone(),
                            consent_basis: Basis::ALL[consent],
                            delegates: vec![Delegate {
                                id: id("d", party_idx),
                                name: "D".to_owned(),
                                title: None,
                                cites: Vec::new(),
                            }],
                            interests: vec![Interest {
                                label: "peace".to_owned(),
                                cites: vec![Citation {
                                    source: id("s", 0),
                                    section: Some("One".to_owned()),
                                    speaker: Some("A spokesman".to_owned()),
                                    quote: Some("a lasting peace".to_owned()),
                                }],
                            }],
                            reservation: reservation.map(|value| Reservation {
                                value: f64::from(value) / 100.0,
                                basis: Basis::Assumed,
                                note: None,
                                cites: Vec::new(),
                            }),
                            discount_factor: reservation.map(|value| f64::from(value) / 200.0),
                            notes: Vec::new(),
                            cites: Vec::new(),
                        });
                    }
                    for (issue_idx, (category, n_options, description)) in
                        issues.into_iter().enumerate()
                    {
                        scenario.issues.push(Issue {
                            id: id("i", issue_idx),
                            title: format!("Issue {issue_idx}"),
                            category: Category::ALL[category],
                            description,
                            options: (0..n_options)
                                .map(|option_idx| IssueOption {
                                    id: id("o", option_idx),
                                    label: String::new(),
                                })
                                .collect(),
                            range: None,
                            cites: Vec::new(),
                        });
                    }
                    for (party_idx, max_utility, basis, visibility, note, constraints) in
                        constraint_utilities
                    {
                        let party = id("p", party_idx);
                        if scenario
                            .constraint_utilities
                            .iter()
                            .any(|utility| utility.party == party)
                        {
                            continue;
                        }
                        let constraints = constraints
                            .into_iter()
                            .map(|(value, excludes, bounds)| {
                                let mut issues_bounded = std::collections::HashSet::new();
                                let bounds = bounds
                                    .into_iter()
                                    .filter(|(issue_idx, _, _)| issues_bounded.insert(*issue_idx))
                                    .map(|(issue_idx, from, to)| {
                                        let n_options = scenario.issues[issue_idx].options.len();
                                        let (from, to) = (from % n_options, to % n_options);
                                        Bound {
                                            issue: id("i", issue_idx),
                                            from: id("o", from.min(to)),
                                            to: id("o", from.max(to)),
                                        }
                                    })
                                    .collect();
                                Constraint {
                                    value: f64::from(value) / 2.0,
                                    kind: if excludes {
                                        ConstraintKind::Excludes
                                    } else {
                                        ConstraintKind::Includes
                                    },
                                    bounds,
                                }
                            })
                            .collect();
                        scenario.constraint_utilities.push(ConstraintUtility {
                            party,
                            max_utility: f64::from(max_utility) / 4.0,
                            constraints,
                            basis: Basis::ALL[basis],
                            visibility: [
                                Visibility::Public,
                                Visibility::Private,
                                Visibility::Track(id("t", 0)),
                            ][visibility]
                                .clone(),
                            note,
                            cites: vec![Citation::new(id("s", 0), Some("One".to_owned()))],
                        });
                    }
                    let mut seen = std::collections::HashSet::new();
                    for (party_idx, issue_idx, stances, importance, date) in positions {
                        let date = date.map(|mut date| {
                            if let Some(as_of) = as_of {
                                date.date = date.date.min(as_of.date)
                            }
                            date
                        });
                        if !seen.insert((party_idx, issue_idx, date.map(|date| date.date))) {
                            continue;
                        }
                        let n_options = scenario.issues[issue_idx].options.len();
                        // A party whose utility is by constraints records positions without
                        // importances or stances.
                        let by_constraints = scenario
                            .constraint_utilities
                            .iter()
                            .any(|utility| utility.party == id("p", party_idx));
                        scenario.positions.push(Position {
                            party: id("p", party_idx),
                            issue: id("i", issue_idx),
                            date,
                            importance: match importance {
                                _ if by_constraints => None,
                                4 => Some(Importance::Weight(0.25)),
                                level => Some(Importance::Level(ImportanceLevel::ALL[level])),
                            },
                            importance_basis: Basis::ALL[importance % Basis::ALL.len()],
                            stances: stances
                                .into_iter()
                                .take(if by_constraints { 0 } else { n_options })
                                .enumerate()
                                .map(|(option_idx, stance)| {
                                    (id("o", n_options - 1 - option_idx), stance)
                                })
                                .collect(),
                            curve: Vec::new(),
                            confidence: Basis::Reported,
                            condition: (importance == 1).then(|| Condition {
                                text: "if the talks look fair".to_owned(),
                                party: id("p", party_idx),
                            }),
                            visibility: Visibility::Public,
                            note: None,
                            cites: Vec::new(),
                        });
                    }
                    if n_parties >= 2 {
                        scenario.tracks.push(Track {
                            id: id("t", 0),
                            name: "T".to_owned(),
                            parties: vec![id("p", 0), id("p", 1)],
                            document: None,
                            description: String::new(),
                            cites: Vec::new(),
                        });
                    }
                    for (claim_idx, (claimant, statement, status, date, place)) in
                        claims.into_iter().enumerate()
                    {
                        let date = date.map(|mut date| {
                            if let Some(as_of) = as_of {
                                date.date = date.date.min(as_of.date)
                            }
                            date
                        });
                        scenario.claims.push(Claim {
                            id: id("c", claim_idx),
                            claimant: id("p", claimant),
                            statement,
                            date,
                            place,
                            status: ClaimStatus::ALL[status],
                            disputes: None,
                            visibility: Visibility::Track(id("t", 0)),
                            cites: Vec::new(),
                        });
                    }
                    let n_drafts = drafts.len();
                    for (draft_idx, (summary, status, point_count, n_described)) in
                        drafts.into_iter().enumerate()
                    {
                        let n_described = n_described.min(point_count.unwrap_or(5) as usize);
                        let parents =
                            if draft_idx > 0 { vec![id("v", draft_idx - 1)] } else { Vec::new() };
                        let lineage = parents
                            .iter()
                            .map(|parent| LineageEntry {
                                parent: parent.clone(),
                                points: PointSelection::Rest,
                                fate: Fate::Unknown,
                                into: None,
                                cites: Vec::new(),
                            })
                            .collect();
                        scenario.drafts.push(Draft {
                            id: id("v", draft_idx),
                            title: format!("Draft {draft_idx} of {n_drafts}"),
                            date: None,
                            author: Some(id("p", 0)),
                            answers: None,
                            status: DraftStatus::ALL[status],
                            status_basis: Basis::ALL[draft_idx % Basis::ALL.len()],
                            condition: (draft_idx % 2 == 1).then(|| Condition {
                                text: "if Europe pays".to_owned(),
                                party: id("p", 0),
                            }),
                            stage: Some(Stage::Framework),
                            parents,
                            point_count,
                            points: (0..n_described)
                                .map(|point_idx| Point {
                                    id: id("pt", point_idx),
                                    number: Some(point_idx as u32 + 1),
                                    text: "Text".to_owned(),
                                    issue: Some(id("i", 0)),
                                    settlement: if point_idx % 2 == 0 {
                                        Settlement::Option(id("o", 0))
                                    } else {
                                        Settlement::Unspecified
                                    },
                                    cites: Vec::new(),
                                })
                                .collect(),
                            lineage,
                            // Settled points are agreed: ad referendum by the author in
                            // private, finally by the other parties; odd drafts are accepted
                            // whole by the author.
                            agreements: (0..n_described)
                                .step_by(2)
                                .flat_map(|point_idx| {
                                    (0..n_parties).map(move |party_idx| Agreement {
                                        party: id("p", party_idx),
                                        point: Some(id("pt", point_idx)),
                                        kind: if party_idx == 0 {
                                            AgreementKind::AdReferendum
                                        } else {
                                            AgreementKind::Final
                                        },
                                        date: None,
                                        basis: Basis::ALL[(point_idx + party_idx) % 2],
                                        visibility: if party_idx == 0 {
                                            Visibility::Private
                                        } else {
                                            Visibility::Public
                                        },
                                        note: (party_idx == 1).then(|| "Said so".to_owned()),
                                        cites: Vec::new(),
                                    })
                                })
                                .chain(
                                    (draft_idx % 2 == 1)
                                        .then(|| Agreement {
                                            party: id("p", 0),
                                            point: None,
                                            kind: AgreementKind::Final,
                                            date: None,
                                            basis: Basis::Reported,
                                            visibility: Visibility::Track(id("t", 0)),
                                            note: None,
                                            cites: Vec::new(),
                                        })
                                        .filter(|_| n_parties >= 2),
                                )
                                .collect(),
                            summary,
                            visibility: Visibility::Private,
                            cites: Vec::new(),
                        });
                    }
                    // A party's column answering the first draft, when there are two parties.
                    if n_parties >= 2 && n_drafts > 0 {
                        let compromise = scenario.drafts[0].clone();
                        scenario.drafts.push(Draft {
                            id: id("col", 1),
                            title: "Column".to_owned(),
                            author: Some(id("p", 1)),
                            answers: Some(compromise.id.clone()),
                            parents: Vec::new(),
                            lineage: Vec::new(),
                            agreements: Vec::new(),
                            condition: None,
                            visibility: Visibility::Track(id("t", 0)),
                            ..compromise
                        });
                    }
                    scenario
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn random_valid_scenarios_round_trip(scenario in any_scenario()) {
            let errors: Vec<String> = crate::validate::validate(&scenario).into_iter().filter(|d| d.is_error()).map(|d| d.render("random")).collect();
            prop_assert_eq!(errors, Vec::<String>::new());
            prop_assert_eq!(round_trip(&scenario), scenario);
        }

        #[test]
        fn arbitrary_bytes_never_make_the_reader_panic(bytes in vec(any::<u8>(), 0..400)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = read_scenario(&text);
        }

        #[test]
        fn mutated_scenario_text_never_makes_the_reader_panic(cut in 0usize..4000, insert in "[\\[\\]{}=\"#,.a-z0-9\n ]{0,8}") {
            let mut text = TALKS_2025_TOML.to_owned();
            let mut cut = cut.min(text.len());
            while !text.is_char_boundary(cut) { cut -= 1; }
            text.insert_str(cut, &insert);
            let loaded = read_scenario(&text);
            for diagnostic in &loaded.diagnostics {
                prop_assert!(diagnostic.position.is_some() || diagnostic.path.0.is_empty(), "{:?}", diagnostic);
            }
        }
    }
}

#[test]
fn the_documented_example_is_valid() {
    let doc = include_str!("../../../../docs/scenario-format.md");
    let example = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the doc has a TOML example");
    let loaded = read_scenario(example);
    let rendered: Vec<String> =
        loaded.diagnostics.iter().map(|diagnostic| diagnostic.render("example")).collect();
    assert_eq!(rendered, Vec::<String>::new());
    let scenario = loaded.scenario.unwrap();
    assert_eq!(scenario.scenario().drafts[1].lineage.len(), 2);
}

#[test]
fn the_documented_constraint_utility_is_valid() {
    let doc = include_str!("../../../../docs/scenario-format.md");
    let snippet = doc
        .split("### `[[constraint_utilities]]`")
        .nth(1)
        .and_then(|rest| rest.split("```text\n").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("the doc has a constraint utility example");
    let issues = r#"
[[parties]]
id = "seller"
name = "Seller"
role = "principal"

[[issues]]
id = "price"
title = "Price"
category = "other"
options = [{ id = "0" }, { id = "1" }, { id = "2" }, { id = "3" }, { id = "4" }, { id = "5" }, { id = "6" }, { id = "7" }, { id = "8" }, { id = "9" }]

[[issues]]
id = "delivery"
title = "Delivery"
category = "other"
options = [{ id = "slow" }, { id = "fast" }]
"#;
    check(&format!("{issues}{snippet}"), expect![[""]]);
}

#[test]
fn the_schema_of_a_constraint_utility_names_its_fields() {
    let schema = super::entity_schema("constraint_utilities").expect("a served collection");
    let properties = schema["properties"].as_object().unwrap();
    // Sorted: whether JSON maps keep their order depends on the features the build unifies.
    let mut keys: Vec<&str> = properties.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["basis", "cites", "constraints", "max_utility", "note", "party", "visibility"]
    );
    let mut required: Vec<&str> =
        schema["required"].as_array().unwrap().iter().filter_map(|key| key.as_str()).collect();
    required.sort_unstable();
    assert_eq!(required, ["max_utility", "party"]);
    let constraint = &schema["$defs"]["ConstraintDto"]["properties"];
    assert!(constraint["includes"].is_object() && constraint["excludes"].is_object());
    assert_eq!(schema["$defs"]["BoundDto"]["additionalProperties"], false);
}

#[test]
fn messages_speak_of_tables_not_of_the_readers_types() {
    assert_eq!(
        super::plain_message("invalid type: string \"x\", expected struct PlaceDto"),
        "invalid type: string \"x\", expected a table"
    );
    assert_eq!(
        super::plain_message("data did not match any variant of untagged enum DateDto"),
        "the value has none of the forms this field accepts (see docs/scenario-format.md)"
    );
    assert_eq!(super::plain_message("expected struct Other"), "expected struct Other");
}

#[test]
fn rules_between_records_kept_apart_by_different_parties_are_warnings() {
    // B's private revision of A's draft and B's private counter-claim: A may not see them, so
    // A's changes to its own records cannot be refused because of them.
    check(
        r#"
[[drafts]]
id = "v1"
title = "V1"
status = "superseded"
author = "a"
date = 2025-11-20
points = [{ id = "p1", text = "One" }, { id = "p2", text = "Two" }]

[[drafts]]
id = "v2"
title = "V2"
status = "proposed"
author = "b"
visibility = "private"
date = 2025-11-10
parents = ["v1"]
lineage = [{ parent = "v1", points = ["p1", "p9"], fate = "dropped" }]

[[claims]]
id = "c1"
claimant = "a"
statement = "X happened."
status = "contested"
date = 2025-11-20

[[claims]]
id = "c2"
claimant = "b"
statement = "X did not happen."
status = "contested"
disputes = "c1"
visibility = "private"
date = 2025-11-19
"#,
        expect![[r#"
            t.toml:55:8: warning[date-order]: draft 'v2' is dated 2025-11-10, before its parent 'v1' dated 2025-11-20 (a warning: the records are kept by different parties, and one may not see the other) (at drafts[1].date)
            t.toml:57:11: warning[lineage-gap]: lineage leaves point(s) p2 of parent 'v1' unaccounted for, expected an entry for each (points = "rest" with fate = "unknown" where the sources do not say) (a warning: the records are kept by different parties, and one may not see the other) (at drafts[1].lineage)
            t.toml:57:45: warning[unknown-reference]: parent draft 'v1' has no point 'p9' (a warning: the records are kept by different parties, and one may not see the other) (at drafts[1].lineage[0].points[1])
            t.toml:73:8: warning[date-order]: counter-claim 'c2' is dated 2025-11-19, before the claim 'c1' it disputes, dated 2025-11-20 (a warning: the records are kept by different parties, and one may not see the other) (at claims[1].date)"#]],
    );
}

mod fuzz {
    //! The reader on mutated valid files (flipped bytes, cuts, inserted tokens, deep nesting,
    //! bytes that are not UTF-8): it never panics, and every problem it reports has a line
    //! and column inside the text.

    use proptest::collection::vec;
    use proptest::sample::select;

    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::scenario_file::{read_fragment, read_scenario_bytes};

    /// Cases per property: `PARLEY_FUZZ_CASES`, else 10,000.
    #[allow(clippy::disallowed_methods, reason = "a test run may ask for more or fewer cases")]
    fn cases() -> u32 {
        std::env::var("PARLEY_FUZZ_CASES").ok().and_then(|text| text.parse().ok()).unwrap_or(10_000)
    }

    /// Pieces of TOML and of scenario files, and bytes that break UTF-8.
    const TOKENS: &[&[u8]] = &[
        b"[",
        b"]",
        b"[[",
        b"]]",
        b"{",
        b"}",
        b"=",
        b"\"",
        b"'",
        b"\"\"\"",
        b"'''",
        b"#",
        b",",
        b".",
        b"\n",
        b"\r\n",
        b"\r",
        b"\t",
        b"\0",
        b"\\",
        b"\\u",
        b"\\uD800",
        b"\\U0011FFFF",
        "\u{feff}".as_bytes(),
        "\u{1b}[31m".as_bytes(),
        "\u{202e}".as_bytes(),
        "é".as_bytes(),
        b"\xff",
        b"\xc3",
        b"\xe2\x82",
        b"\xed\xa0\x80",
        b"\xf4\x90\x80\x80",
        b"[scenario]",
        b"[scale]",
        b"[[parties]]",
        b"[[issues]]",
        b"[[positions]]",
        b"[[drafts]]",
        b"[[claims]]",
        b"[[meetings]]",
        b"[[tracks]]",
        b"[[sources]]",
        b"id = \"a\"",
        b"id = ",
        b"id = \"\"",
        b"parties = [\"a\", \"a\"]",
        b"options = []",
        b"stances = {}",
        b"points = [{}]",
        b"lineage = [{ parent = \"x\" }]",
        b"date = 2025-13-40",
        b"date = 1979-05-27T07:32:00Z",
        b"1e999",
        b"nan",
        b"-inf",
        b"-0",
        b"9223372036854775808",
        b"true",
        b"a.b.c = 1",
        b"\"b\"\n", b"\"rest\"\n", b"\"high\"\n", b"\"red-line\"\n", b"\"private\"\n", b"[\"a\"]\n",
        b"weight = 0\n", b"weight = -1\n", b"value = 2\n", b"visibility = \"private\"\n",
        b"visibility = { parties = [\"zz\"] }\n", b"parents = [\"v1\"]\n", b"disputes = \"c1\"\n",
        b"cites = [\"report#Nine\"]\n", b"[[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"principal\"\n",
        b"[[positions]]\nparty = \"b\"\nissue = \"land\"\nstances = { keep = 0.5, give = 2 }\n",
        b"[[meetings]]\nid = \"m\"\ntitle = \"M\"\ntrack = \"ab\"\nattendees = [\"zed\"]\n",
        b"[[drafts]]\nid = \"v1\"\ntitle = \"V\"\nstatus = \"proposed\"\nparents = [\"v1\"]\n",
        b"[[claims]]\nid = \"c1\"\nclaimant = \"a\"\nstatement = \"S\"\nstatus = \"contested\"\ndisputes = \"c1\"\n",
        b"[[constraint_utilities]]", b"[[constraint_utilities.constraints]]", b"max_utility = 0\n",
        b"includes = []\n", b"excludes = [{ issue = \"land\", from = \"give\", to = \"keep\" }]\n",
        b"[[constraint_utilities]]\nparty = \"a\"\nmax_utility = 4\nconstraints = [{ value = 1, includes = [{ issue = \"land\", from = \"keep\", to = \"give\" }] }]\n",
    ];

    /// A nested construct of the given depth: arrays, inline tables, dotted keys or a dotted
    /// table header.
    fn deep(kind: usize, depth: usize) -> Vec<u8> {
        let text = match kind {
            0 => format!("x = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
            1 => format!("x = {}1{}\n", "{a=".repeat(depth), "}".repeat(depth)),
            2 => format!("\na{} = 1\n", ".a".repeat(depth)),
            _ => format!("\n[a{}]\n", ".b".repeat(depth)),
        };
        text.into_bytes()
    }

    fn token() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            6 => select(TOKENS).prop_map(<[u8]>::to_vec),
            1 => (0usize..4, 1usize..300).prop_map(|(kind, depth)| deep(kind, depth)),
            1 => vec(any::<u8>(), 1..6),
            2 => "[a-z0-9_.\"' =\\[\\]{},#\n-]{1,10}".prop_map(String::into_bytes),
        ]
    }

    /// Where a TOML insertion keeps the most of a file valid: at the start of a line or after
    /// `= ` (where keys, tables and values start).
    fn toml_boundary(bytes: &[u8], index: usize) -> bool {
        index == 0 || bytes[index - 1] == b'\n' || bytes[..index].ends_with(b"= ")
    }

    /// Every diagnostic has a position, and it lies inside the text.
    fn check_positions(bytes: &[u8], diagnostics: &[Diagnostic]) -> Result<(), TestCaseError> {
        let n_lines = bytes.iter().filter(|&&byte| byte == b'\n').count() + 1;
        for diagnostic in diagnostics {
            let Some(position) = diagnostic.position else {
                return Err(TestCaseError::fail(format!("no position: {diagnostic:?}")));
            };
            prop_assert!(
                position.line >= 1 && position.line <= n_lines && position.column >= 1,
                "{:?} outside {} lines",
                diagnostic,
                n_lines
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn mutated_files_never_panic_and_every_problem_has_a_position(
            builtin in proptest::bool::weighted(0.05),
            edits in vec(parley_mutate::edit(token), 1..4),
        ) {
            let mut bytes = if builtin { TALKS_2025_TOML.as_bytes().to_vec() } else { BASE.as_bytes().to_vec() };
            for edit in &edits {
                parley_mutate::apply(&mut bytes, edit, toml_boundary);
            }
            let loaded = read_scenario_bytes(&bytes);
            check_positions(&bytes, &loaded.diagnostics)?;
            prop_assert_eq!(loaded.scenario.is_some(), !loaded.has_errors());
            if let Ok(text) = std::str::from_utf8(&bytes)
                && let Err(diagnostics) = read_fragment(text)
            {
                check_positions(&bytes, &diagnostics)?;
            }
        }
    }
}

use crate::stance::Stance;

/// A continuous issue and the curves of both parties over it.
const CONTINUOUS: &str = r#"
[[issues]]
id = "price"
title = "Price"
category = "other"
range = { lower = 10, upper = 40, grid = 4 }

[[positions]]
party = "a"
issue = "price"
weight = 2
curve = [[10, 1.0], [40, 0.0]]

[[positions]]
party = "b"
issue = "price"
weight = 1
curve = [[10, 0.0], [25, 1.0], [40, 0.5]]
"#;

#[test]
fn a_continuous_issue_reads_with_its_grid_and_round_trips_without_it() {
    check(CONTINUOUS, expect![[""]]);
    let valid = read_scenario(&format!("{BASE}{CONTINUOUS}")).scenario.unwrap();
    let price = &valid.scenario().issues[1];
    let grid: Vec<&str> = price.options.iter().map(|option| option.id.as_str()).collect();
    assert_eq!(grid, ["10", "20", "30", "40"]);
    let stances: Vec<(&str, Stance)> = valid.scenario().positions[1]
        .stances
        .iter()
        .map(|(option, stance)| (option.as_str(), *stance))
        .collect();
    let thirds = [1.0, 2.0 / 3.0, 1.0 / 3.0, 0.0];
    for ((option, stance), (expected_option, expected)) in
        stances.iter().zip(grid.iter().zip(thirds))
    {
        assert_eq!(option, expected_option);
        let Stance::Value(value) = stance else { panic!("a value") };
        assert!((value - expected).abs() < 1e-12, "{option}: {value}");
    }
    // The file holds the range and the curves, not the grid's options and values.
    let text = write_scenario(valid.scenario());
    assert!(text.contains("[issues.range]") && text.contains("curve = [["), "{text}");
    assert!(!text.contains("\"20\""), "{text}");
    assert_eq!(round_trip(valid.scenario()), *valid.scenario());
    // Another grid is another set of options from the same file.
    let mut regridded = valid.into_scenario();
    crate::continuous::set_grid(&mut regridded, 7);
    let (regridded, _) = crate::validate::ValidScenario::new(regridded).unwrap();
    assert_eq!(regridded.scenario().issues[1].options.len(), 7);
    assert_eq!(regridded.scenario().positions[2].stances.len(), 7);
}

#[test]
fn every_problem_of_a_continuous_issue_is_reported_at_its_field() {
    check(
        r#"
[[issues]]
id = "price"
title = "Price"
category = "other"
range = { lower = 10, upper = 40, grid = 1 }

[[issues]]
id = "days"
title = "Days"
category = "other"
range = { lower = 5, upper = 5 }

[[issues]]
id = "rate"
title = "Rate"
category = "other"
options = [{ id = "x" }]
range = { lower = 0, upper = 1 }

[[positions]]
party = "a"
issue = "rate"
curve = [[0, 0.5], [0.5, 1.5], [0.5, 0.2], [0.9, 0.3]]

[[positions]]
party = "b"
issue = "rate"
curve = [[0, 0.5], [1, 1]]
stances = { x = 0.5 }

[[positions]]
party = "b"
issue = "land"
curve = [[0, 0.5], [1, 1]]

[[positions]]
party = "b"
issue = "price"
curve = [[10, 0.5]]
"#,
        expect![[r#"
            t.toml:45:42: error[out-of-range]: grid of 1 numbers, expected from 2 to 10001 (at issues[1].range.grid)
            t.toml:48:6: warning[inconsistent]: no party has a recorded position on issue 'days' (at issues[2].id)
            t.toml:51:9: error[out-of-range]: range from 5 to 5 of issue 'days', expected finite numbers with lower below upper (at issues[2].range)
            t.toml:57:11: error[shape]: a continuous issue (one with a range) takes no options: they are the numbers of its grid (at issues[3].options)
            t.toml:63:9: error[inconsistent]: a curve from 0 to 0.9, expected one from the range's lower end 0 to its upper end 1 (at positions[1].curve)
            t.toml:63:20: error[out-of-range]: value 1.5 is outside [0, 1] (at positions[1].curve[1])
            t.toml:63:32: error[inconsistent]: number 0.5 does not rise above the point before it (0.5): a curve's numbers rise (at positions[1].curve[2])
            t.toml:68:9: error[shape]: give stances on options or a curve over numbers, not both (at positions[2].curve)
            t.toml:74:9: error[inconsistent]: issue 'land' lists options, expected stances on them instead of a curve (only a continuous issue, one with a range, takes a curve) (at positions[3].curve)
            t.toml:79:9: error[inconsistent]: a curve of 1 point, expected at least 2: one at each end of the range (at positions[4].curve)"#]],
    );
}

#[test]
fn the_documented_continuous_issue_is_valid() {
    let doc = include_str!("../../../../docs/scenario-format.md");
    let snippet = doc
        .split("A **continuous** issue")
        .nth(1)
        .and_then(|rest| rest.split("```text\n").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("the doc has a continuous issue example");
    let position = r#"
[[positions]]
party = "a"
issue = "price"
curve = [[10, 1.0], [40, 0.0]]
"#;
    check(&format!("{snippet}{position}"), expect![[""]]);
}

#[test]
fn a_problem_after_an_unreadable_entity_is_reported_at_its_own_entity() {
    // The second issue cannot be read (it has no title), so the scenario lacks it: what
    // validation says of the third is still placed at the third, in the file's numbering.
    check(
        r#"
[[issues]]
id = "wage"
category = "other"
options = [{ id = "low" }]

[[issues]]
id = "hours"
title = "Hours"
category = "other"
options = [{ id = "short" }, { id = "short" }]
"#,
        expect![[r#"
            t.toml:41:1: error[shape]: missing field `title` (at issues[1])
            t.toml:47:6: warning[inconsistent]: no party has a recorded position on issue 'hours' (at issues[2].id)
            t.toml:50:37: error[duplicate-id]: duplicate option (in issue 'hours') id 'short', first used at issues[2].options[0].id (at issues[2].options[1].id)"#]],
    );
}

#[test]
fn reading_goes_on_after_an_unknown_field_or_a_bad_value() {
    check(
        r#"
[[positions]]
party = "rusia"
issue = "land"
stance = { keep = "workable" }
importance = "hihg"

[[issues]]
id = "sea"
title = "Sea"
category = "teritory"
options = "open"

[[parties]]
id = "c"
name = "C"
role = "observer"
reservation = 0.3
place = 1
"#,
        expect![[r#"
            t.toml:42:9: error[unknown-reference]: unknown party 'rusia' (at positions[1].party)
            t.toml:44:1: error[shape]: unknown field `stance` (did you mean 'stances'?), expected one of `party`, `issue`, `date`, `importance`, `weight`, `importance_basis`, `confidence`, `condition`, `visibility`, `note`, `cites`, `stances`, `curve` (at positions[1].stance)
            t.toml:45:14: error[shape]: unknown value 'hihg' (did you mean 'high'?), expected one of: low, medium, high, critical (at positions[1].importance)
            t.toml:48:6: warning[inconsistent]: no party has a recorded position on issue 'sea' (at issues[1].id)
            t.toml:50:12: error[shape]: unknown value 'teritory' (did you mean 'territory'?), expected one of: territory, security-guarantees, alliances, sanctions, finance-and-reconstruction, humanitarian, governance, military-limits, justice, other (at issues[1].category)
            t.toml:51:11: error[shape]: invalid type: string "open", expected a list of tables such as [{ id = "keep", label = "..." }] (at issues[1].options)
            t.toml:57:15: error[shape]: invalid type: floating point `0.3`, expected a table such as { value = 0.3 } (at parties[2].reservation)
            t.toml:58:1: error[shape]: unknown field `place`, expected one of `id`, `name`, `role`, `consent`, `consent_basis`, `interests`, `reservation`, `discount_factor`, `cites`, `delegates`, `notes` (at parties[2].place)"#]],
    );
}

mod k_mistakes {
    //! A file with k independent mistakes gives k diagnostics, each at its mistake.
    use proptest::prelude::*;

    use super::{BASE, read_scenario};

    /// A mistake in one party's table: the line that has it, and the column where the
    /// diagnostic must point.
    fn mistake(kind: usize, party_idx: usize) -> (String, usize) {
        match kind {
            0 => ("nmae = \"again\"".to_owned(), 1),
            1 => ("consent = \"requird\"".to_owned(), 11),
            2 => ("consent = { issues = [\"lnad\"] }".to_owned(), 23),
            3 => ("discount_factor = \"high\"".to_owned(), 19),
            4 => ("reservation = 0.3".to_owned(), 15),
            5 => ("reservation = { value = 1.5 }".to_owned(), 25),
            6 => ("interests = [{ label = \"x\", cites = [\"reprot\"] }]".to_owned(), 38),
            _ => (
                format!("delegates = [{{ titel = \"T\", name = \"D\", id = \"d{party_idx}\" }}]"),
                16,
            ),
        }
    }

    const N_KINDS: usize = 8;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn k_independent_mistakes_give_k_diagnostics_at_their_places(
            parties in proptest::collection::vec(proptest::collection::btree_set(0..N_KINDS, 0..4), 1..8),
        ) {
            let mut text = BASE.to_owned();
            let mut expected = Vec::new();
            for (party_idx, kinds) in parties.iter().enumerate() {
                text.push_str(&format!("\n[[parties]]\nid = \"p{party_idx}\"\nname = \"P\"\nrole = \"observer\"\n"));
                // Kinds 1 and 2 both set `consent`, 4 and 5 `reservation`: a table has one of each.
                let kinds = kinds.iter().filter(|kind| {
                    !(**kind == 2 && kinds.contains(&1) || **kind == 5 && kinds.contains(&4))
                });
                for kind in kinds {
                    let (line, column) = mistake(*kind, party_idx);
                    expected.push((text.lines().count() + 1, column));
                    text.push_str(&line);
                    text.push('\n');
                }
            }
            let loaded = read_scenario(&text);
            let found: Vec<(usize, usize)> = loaded
                .diagnostics
                .iter()
                .map(|diagnostic| {
                    let position = diagnostic.position.expect("every diagnostic is placed");
                    (position.line, position.column)
                })
                .collect();
            prop_assert_eq!(found, expected, "{:#?}", loaded.diagnostics);
        }
    }
}

#[test]
fn columns_and_agreements_are_checked_against_their_drafts_and_parties() {
    check(
        r#"
[[drafts]]
id = "text"
title = "Text"
status = "proposed"
date = 2025-11-20
points = [
  { id = "p1", issue = "land", option = "keep" },
  { id = "p2", issue = "land", brackets = ["keep", "give"] },
]
agreements = [
  { party = "a", point = "p1", kind = "ad-referendum", date = 2025-11-21 },
  { party = "a", point = "p1", kind = "ad-referendum" },
  { party = "c", point = "p3", kind = "final" },
  { party = "b", point = "p2", kind = "final", date = 2025-11-19 },
  { party = "b", kind = "for-now", basis = "inferred", date = 2025-12-10 },
]

[[drafts]]
id = "a-column"
title = "A's column"
author = "a"
answers = "text"
status = "proposed"

[[drafts]]
id = "a-column-2"
title = "A's other column"
author = "a"
answers = "text"
status = "proposed"

[[drafts]]
id = "no-author"
title = "No author"
answers = "a-column"
status = "proposed"

[[drafts]]
id = "b-column"
title = "B's column"
author = "b"
answers = "texts"
status = "proposed"
"#,
        expect![[r#"
            t.toml:52:3: error[duplicate-id]: party 'a' agrees ad-referendum to point 'p1' twice, first at agreements[0] (at drafts[0].agreements[1])
            t.toml:53:13: error[unknown-reference]: unknown party 'c' (at drafts[0].agreements[2].party)
            t.toml:53:26: error[unknown-reference]: draft 'text' has no point 'p3' (at drafts[0].agreements[2].point)
            t.toml:54:26: error[inconsistent]: point 'p2' keeps bracketed alternatives, expected a point with one text to agree to (at drafts[0].agreements[3].point)
            t.toml:54:55: error[date-order]: the agreement is dated 2025-11-19, before its draft 'text' dated 2025-11-20 (at drafts[0].agreements[3].date)
            t.toml:55:25: error[shape]: unknown value 'for-now', expected one of: ad-referendum, final (at drafts[0].agreements[4].kind)
            t.toml:55:44: warning[inconsistent]: the agreement is inferred but cites nothing, expected the citation of the sentence it reads (at drafts[0].agreements[4].basis)
            t.toml:55:63: error[date-order]: an agreement is dated 2025-12-10, after the scenario's date 2025-12-03 (at drafts[0].agreements[4].date)
            t.toml:69:11: error[duplicate-id]: party 'a' has two columns answering 'text': 'a-column' and 'a-column-2', expected one (at drafts[2].answers)
            t.toml:72:1: error[inconsistent]: draft 'no-author' answers 'a-column' but names no author, expected the party whose column it is (at drafts[3].author)
            t.toml:82:11: error[unknown-reference]: unknown draft 'texts' (did you mean 'text'?) (at drafts[4].answers)"#]],
    );
}

#[test]
fn a_round_with_columns_and_agreements_round_trips() {
    let text = crate::agreement::tests::ROUND;
    let scenario = read_scenario(text).scenario.expect("valid").into_scenario();
    let written = write_scenario(&scenario);
    let again = read_scenario(&written).scenario.expect("valid").into_scenario();
    assert_eq!(again, scenario);
    assert!(written.contains("answers = \"text\""), "{written}");
    assert!(written.contains("kind = \"ad-referendum\""), "{written}");
}
