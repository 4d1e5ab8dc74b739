//! Validation: every check on a [`Scenario`], reported all at once as diagnostics, and the
//! [`ValidScenario`] that the analysis takes once no error remains.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use crate::continuous;
use crate::diagnostic::{Diagnostic, DiagnosticKind as Kind, FieldPath};
use crate::scale::Interval;
use crate::scenario::{
    AgreementKind, Citation, Condition, Consent, Constraint, CurvePoint, Draft, Fate,
    MAX_QUOTE_WORDS, MeetingStatus, NumberRange, Party, PointSelection, Position, Scenario,
    Settlement, Visibility,
};
use crate::stance::{Importance, Stance};
use crate::suggest::did_you_mean;
use crate::{Basis, Date, FuzzyDate, Id};

/// A scenario with no errors: every reference resolves and every invariant holds.
#[derive(Clone, Debug)]
pub struct ValidScenario {
    scenario: Scenario,
}

impl ValidScenario {
    /// Validates a scenario. On success, returns it with its warnings; otherwise every
    /// problem found, errors and warnings together.
    ///
    /// Its continuous issues get their grid numbers as options and its curves their values
    /// there as stances ([`continuous::with_grids`]).
    pub fn new(scenario: Scenario) -> Result<(ValidScenario, Vec<Diagnostic>), Vec<Diagnostic>> {
        let diagnostics = validate(&scenario);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(diagnostics);
        }
        let scenario = match continuous::with_grids(&scenario) {
            Cow::Borrowed(_) => scenario,
            Cow::Owned(gridded) => gridded,
        };
        Ok((ValidScenario { scenario }, diagnostics))
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Gives the scenario back.
    pub fn into_scenario(self) -> Scenario {
        self.scenario
    }

    /// The index of a party, by id.
    pub fn party_index(&self, party: &Id) -> Option<usize> {
        self.scenario.parties.iter().position(|candidate| &candidate.id == party)
    }

    /// The index of an issue, by id.
    pub fn issue_index(&self, issue: &Id) -> Option<usize> {
        self.scenario.issues.iter().position(|candidate| &candidate.id == issue)
    }

    /// The index of a draft, by id.
    pub fn draft_index(&self, draft: &Id) -> Option<usize> {
        self.scenario.drafts.iter().position(|candidate| &candidate.id == draft)
    }

    /// Each party's latest position on each issue as of a date (all positions when `None`):
    /// `[party][issue]`, `None` where no position is recorded. Among positions on the same
    /// day, the one recorded last wins; undated positions come before dated ones.
    pub fn current_positions(&self, as_of: Option<Date>) -> Vec<Vec<Option<&Position>>> {
        let scenario = &self.scenario;
        let mut current = vec![vec![None; scenario.issues.len()]; scenario.parties.len()];
        let mut dated: Vec<&Position> = scenario
            .positions
            .iter()
            .filter(|position| match (as_of, position.date) {
                (Some(limit), Some(date)) => date.date <= limit,
                _ => true,
            })
            .collect();
        dated.sort_by_key(|position| position.date.map(|date| date.date));
        for position in dated {
            let (Some(party_idx), Some(issue_idx)) =
                (self.party_index(&position.party), self.issue_index(&position.issue))
            else {
                continue;
            };
            current[party_idx][issue_idx] = Some(position);
        }
        current
    }
}

/// Checks a scenario and returns every problem found, in the order of the file.
pub fn validate(scenario: &Scenario) -> Vec<Diagnostic> {
    // Continuous issues are checked as written, and everything else on their grids.
    let gridded = continuous::with_grids(scenario);
    let mut checker = Checker::new(&gridded);
    checker.check_continuous(scenario);
    checker.check_scale();
    checker.check_sources();
    checker.check_parties();
    checker.check_issues();
    checker.check_tracks();
    checker.check_meetings();
    checker.check_drafts();
    checker.check_positions();
    checker.check_constraint_utilities();
    checker.check_claims();
    checker.diagnostics
}

struct Checker<'a> {
    scenario: &'a Scenario,
    diagnostics: Vec<Diagnostic>,
    sources: HashMap<&'a Id, usize>,
    parties: HashMap<&'a Id, usize>,
    delegates: HashMap<&'a Id, usize>,
    issues: HashMap<&'a Id, usize>,
    tracks: HashMap<&'a Id, usize>,
    drafts: HashMap<&'a Id, usize>,
    claims: HashMap<&'a Id, usize>,
    /// Each issue's option ids, so that checking a stance is not a search of a long list.
    options: Vec<HashMap<&'a Id, usize>>,
}

/// Whether a record that depends on another (a revision of a draft, a counter-claim) is kept
/// apart from it: not public, and kept by another party than the record it depends on.
fn kept_apart(visibility: &Visibility, owner: Option<&Id>, other_owner: Option<&Id>) -> bool {
    *visibility != Visibility::Public && owner != other_owner
}

fn root(collection: &'static str, index: usize) -> FieldPath {
    FieldPath::root().key(collection).index(index)
}

/// The first index of each id; later duplicates are reported by `check_unique`.
fn index_by_id<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a Id) -> HashMap<&'a Id, usize> {
    let mut index = HashMap::default();
    for (item_idx, item) in items.iter().enumerate() {
        index.entry(id(item)).or_insert(item_idx);
    }
    index
}

impl<'a> Checker<'a> {
    fn new(scenario: &'a Scenario) -> Checker<'a> {
        let mut delegates = HashMap::default();
        for (party_idx, party) in scenario.parties.iter().enumerate() {
            for delegate in &party.delegates {
                delegates.entry(&delegate.id).or_insert(party_idx);
            }
        }
        Checker {
            scenario,
            diagnostics: Vec::new(),
            sources: index_by_id(&scenario.sources, |source| &source.id),
            parties: index_by_id(&scenario.parties, |party| &party.id),
            delegates,
            issues: index_by_id(&scenario.issues, |issue| &issue.id),
            tracks: index_by_id(&scenario.tracks, |track| &track.id),
            drafts: index_by_id(&scenario.drafts, |draft| &draft.id),
            claims: index_by_id(&scenario.claims, |claim| &claim.id),
            options: scenario
                .issues
                .iter()
                .map(|issue| index_by_id(&issue.options, |option| &option.id))
                .collect(),
        }
    }

    fn error(&mut self, kind: Kind, path: FieldPath, message: String) {
        self.diagnostics.push(Diagnostic::error(kind, path, message));
    }

    fn warning(&mut self, kind: Kind, path: FieldPath, message: String) {
        self.diagnostics.push(Diagnostic::warning(kind, path, message));
    }

    /// A rule between a record and one it revises or disputes: an error, unless the two are
    /// kept apart (see [`kept_apart`]), when it is a warning. The other party may not see the
    /// dependent record, so its changes to its own record cannot depend on it: a refusal
    /// would tell it that the hidden record exists.
    fn cross_record(&mut self, apart: bool, kind: Kind, path: FieldPath, message: String) {
        if apart {
            let message = format!(
                "{message} (a warning: the records are kept by different parties, and one may not see the other)"
            );
            self.warning(kind, path, message);
        } else {
            self.error(kind, path, message);
        }
    }

    /// Reports ids that appear more than once, at every repeat.
    fn check_unique<'b>(&mut self, what: &str, ids: impl IntoIterator<Item = (&'b Id, FieldPath)>) {
        let mut seen: HashMap<&Id, FieldPath> = HashMap::default();
        for (id, path) in ids {
            match seen.get(id) {
                Some(first) => {
                    let message = format!("duplicate {what} id '{id}', first used at {first}");
                    self.error(Kind::DuplicateId, path, message);
                }
                None => {
                    seen.insert(id, path);
                }
            }
        }
    }

    fn check_reference(&mut self, what: &str, id: &Id, known: bool, path: FieldPath) {
        if !known {
            let scenario = self.scenario;
            let ids: Vec<&Id> = match what {
                "party" => scenario.parties.iter().map(|party| &party.id).collect(),
                "issue" => scenario.issues.iter().map(|issue| &issue.id).collect(),
                "track" => scenario.tracks.iter().map(|track| &track.id).collect(),
                "draft" => scenario.drafts.iter().map(|draft| &draft.id).collect(),
                "claim" => scenario.claims.iter().map(|claim| &claim.id).collect(),
                _ => Vec::new(),
            };
            let suggestion = did_you_mean(id.as_str(), ids.into_iter().map(Id::as_str));
            self.error(Kind::UnknownReference, path, format!("unknown {what} '{id}'{suggestion}"));
        }
    }

    /// `issue 'land' has no option 'grant'`, with the option nearest to it.
    fn no_option_message(&self, issue_idx: usize, option: &Id) -> String {
        let issue = &self.scenario.issues[issue_idx];
        let suggestion =
            did_you_mean(option.as_str(), issue.options.iter().map(|option| option.id.as_str()));
        format!("issue '{}' has no option '{option}'{suggestion}", issue.id)
    }

    fn check_party_ref(&mut self, id: &Id, path: FieldPath) {
        let known = self.parties.contains_key(id);
        self.check_reference("party", id, known, path);
    }

    fn check_issue_ref(&mut self, id: &Id, path: FieldPath) -> Option<usize> {
        let issue_idx = self.issues.get(id).copied();
        self.check_reference("issue", id, issue_idx.is_some(), path);
        issue_idx
    }

    /// A condition names a party that exists.
    fn check_condition(&mut self, condition: &Option<Condition>, path: FieldPath) {
        if let Some(condition) = condition {
            self.check_party_ref(&condition.party, path.key("party"));
        }
    }

    /// An inferred figure reads a sourced sentence: without a citation it names none.
    fn check_inferred_cited(
        &mut self,
        what: &str,
        basis: Basis,
        cites: &[Citation],
        path: FieldPath,
    ) {
        if basis == Basis::Inferred && cites.is_empty() {
            let message = format!(
                "{what} is inferred but cites nothing, expected the citation of the sentence it reads"
            );
            self.warning(Kind::Inconsistent, path, message);
        }
    }

    fn check_cites(&mut self, cites: &[Citation], path: FieldPath) {
        for (cite_idx, cite) in cites.iter().enumerate() {
            let cite_path = path.index(cite_idx);
            if let Some(quote) = &cite.quote {
                let n_words = quote.split_whitespace().count();
                if n_words > MAX_QUOTE_WORDS {
                    let message = format!(
                        "quote has {n_words} words, expected a short phrase of at most {MAX_QUOTE_WORDS}"
                    );
                    self.error(Kind::OutOfRange, cite_path.key("quote"), message);
                }
            }
            let Some(&source_idx) = self.sources.get(&cite.source) else {
                let suggestion = did_you_mean(
                    cite.source.as_str(),
                    self.scenario.sources.iter().map(|source| source.id.as_str()),
                );
                let message = format!("unknown source '{}'{suggestion}", cite.source);
                self.error(Kind::UnknownReference, cite_path.key("source"), message);
                continue;
            };
            let source = &self.scenario.sources[source_idx];
            if let Some(section) = &cite.section
                && !source.sections.is_empty()
                && !source.sections.contains(section)
            {
                let message = format!(
                    "source '{}' has no section '{section}', expected one of: {}",
                    source.id,
                    source.sections.join(", ")
                );
                self.error(Kind::UnknownReference, cite_path.key("section"), message);
            }
        }
    }

    fn check_visibility(&mut self, visibility: &Visibility, path: FieldPath) {
        if let Visibility::Track(track) = visibility {
            let known = self.tracks.contains_key(track);
            self.check_reference("track", track, known, path);
        }
    }

    /// Reports a date later than the scenario's own date, for facts that cannot lie ahead.
    fn check_not_after_as_of(&mut self, what: &str, date: Option<FuzzyDate>, path: FieldPath) {
        let (Some(date), Some(as_of)) = (date, self.scenario.as_of) else { return };
        if date.date > as_of.date {
            let message =
                format!("{what} is dated {}, after the scenario's date {}", date.date, as_of.date);
            self.error(Kind::DateOrder, path, message);
        }
    }

    fn check_scale(&mut self) {
        let scale = &self.scenario.scale;
        let path = FieldPath::root().key("scale");
        for (name, interval) in scale.named_stances() {
            let field = path.key("stances").key(name);
            self.check_interval(interval, field, 0.0, 1.0, true);
        }
        for (name, interval) in scale.named_importances() {
            let field = path.key("importances").key(name);
            if interval.low <= 0.0 {
                let message =
                    format!("weight {} is not positive, expected a weight above 0", interval.low);
                self.error(Kind::NonPositiveWeight, field.clone(), message);
            }
            self.check_interval(interval, field, 0.0, f64::INFINITY, false);
        }
    }

    fn check_interval(
        &mut self,
        interval: Interval,
        path: FieldPath,
        min: f64,
        max: f64,
        closed_max: bool,
    ) {
        let in_range =
            |value: f64| value.is_finite() && value >= min && (value <= max || !closed_max);
        if !in_range(interval.low) || !in_range(interval.high) || interval.low > interval.high {
            let message = format!(
                "interval [{}, {}] is not valid, expected two numbers in [{min}, {max}], the first not above the second",
                interval.low, interval.high
            );
            self.error(Kind::OutOfRange, path, message);
        }
    }

    fn check_sources(&mut self) {
        let sources = &self.scenario.sources;
        self.check_unique(
            "source",
            sources.iter().enumerate().map(|(idx, s)| (&s.id, root("sources", idx).key("id"))),
        );
    }

    fn check_parties(&mut self) {
        let parties = &self.scenario.parties;
        self.check_unique(
            "party",
            parties.iter().enumerate().map(|(idx, p)| (&p.id, root("parties", idx).key("id"))),
        );
        let delegate_ids = parties.iter().enumerate().flat_map(|(party_idx, party)| {
            party.delegates.iter().enumerate().map(move |(delegate_idx, delegate)| {
                (
                    &delegate.id,
                    root("parties", party_idx).key("delegates").index(delegate_idx).key("id"),
                )
            })
        });
        self.check_unique("delegate", delegate_ids);
        for (party_idx, party) in parties.iter().enumerate() {
            let path = root("parties", party_idx);
            self.check_party(party, &path);
        }
    }

    fn check_party(&mut self, party: &'a Party, path: &FieldPath) {
        for (delegate_idx, delegate) in party.delegates.iter().enumerate() {
            let delegate_path = path.key("delegates").index(delegate_idx);
            if self.parties.contains_key(&delegate.id) {
                let message = format!(
                    "delegate id '{}' is also a party's id, expected distinct ids",
                    delegate.id
                );
                self.error(Kind::DuplicateId, delegate_path.key("id"), message);
            }
            self.check_cites(&delegate.cites, delegate_path.key("cites"));
        }
        self.check_inferred_cited(
            "the consent",
            party.consent_basis,
            &party.cites,
            path.key("consent_basis"),
        );
        if let Consent::OnIssues(issues) = &party.consent {
            if issues.is_empty() {
                let message =
                    "consent is needed on no issue: say consent = \"none\" instead".to_owned();
                self.warning(Kind::Inconsistent, path.key("consent"), message);
            }
            for (issue_idx, issue) in issues.iter().enumerate() {
                self.check_issue_ref(issue, path.key("consent").key("issues").index(issue_idx));
            }
        }
        if let Some(reservation) = &party.reservation {
            let value_path = path.key("reservation").key("value");
            if !(reservation.value.is_finite() && (0.0..=1.0).contains(&reservation.value)) {
                let message = format!("reservation {} is outside [0, 1]", reservation.value);
                self.error(Kind::OutOfRange, value_path, message);
            }
            self.check_cites(&reservation.cites, path.key("reservation").key("cites"));
        }
        if let Some(discount_factor) = party.discount_factor
            && !(discount_factor.is_finite() && (0.0..=1.0).contains(&discount_factor))
        {
            let message = format!("discount factor {discount_factor} is outside [0, 1]");
            self.error(Kind::OutOfRange, path.key("discount_factor"), message);
        }
        for (interest_idx, interest) in party.interests.iter().enumerate() {
            self.check_cites(
                &interest.cites,
                path.key("interests").index(interest_idx).key("cites"),
            );
        }
        for (note_idx, note) in party.notes.iter().enumerate() {
            self.check_cites(&note.cites, path.key("notes").index(note_idx).key("cites"));
        }
        self.check_cites(&party.cites, path.key("cites"));
    }

    fn check_issues(&mut self) {
        let issues = &self.scenario.issues;
        self.check_unique(
            "issue",
            issues.iter().enumerate().map(|(idx, i)| (&i.id, root("issues", idx).key("id"))),
        );
        for (issue_idx, issue) in issues.iter().enumerate() {
            let path = root("issues", issue_idx);
            // A continuous issue without grid options has a range error of its own.
            if issue.options.is_empty() && issue.range.is_none() {
                let message = format!("issue '{}' has no options, expected at least one", issue.id);
                self.error(Kind::Inconsistent, path.key("options"), message);
            }
            let option_ids = issue.options.iter().enumerate().map(|(option_idx, option)| {
                (&option.id, path.key("options").index(option_idx).key("id"))
            });
            self.check_unique(&format!("option (in issue '{}')", issue.id), option_ids);
            self.check_cites(&issue.cites, path.key("cites"));
            let has_position =
                self.scenario.positions.iter().any(|position| position.issue == issue.id)
                    || self.scenario.constraint_utilities.iter().any(|utility| {
                        utility.constraints.iter().any(|constraint| {
                            constraint.bounds.iter().any(|bound| bound.issue == issue.id)
                        })
                    });
            if !has_position {
                let message = format!("no party has a recorded position on issue '{}'", issue.id);
                self.warning(Kind::Inconsistent, path.key("id"), message);
            }
        }
    }

    /// Ranges and curves as written (`written`: before [`continuous::with_grids`]).
    fn check_continuous(&mut self, written: &Scenario) {
        for (issue_idx, issue) in written.issues.iter().enumerate() {
            let Some(range) = &issue.range else { continue };
            let path = root("issues", issue_idx).key("range");
            if !(range.lower.is_finite() && range.upper.is_finite() && range.lower < range.upper) {
                let message = format!(
                    "range from {} to {} of issue '{}', expected finite numbers with lower below upper",
                    range.lower, range.upper, issue.id
                );
                self.error(Kind::OutOfRange, path, message);
                continue;
            }
            if !(2..=continuous::MAX_GRID).contains(&range.grid) {
                let message = format!(
                    "grid of {} numbers, expected from 2 to {}",
                    range.grid,
                    continuous::MAX_GRID
                );
                self.error(Kind::OutOfRange, path.key("grid"), message);
                continue;
            }
            // Options already there are the grid's, derived before: they are derived again.
            if continuous::grid_options(range).is_none() {
                let message = format!(
                    "range from {} to {} is too narrow for a grid of {} distinct numbers",
                    range.lower, range.upper, range.grid
                );
                self.error(Kind::OutOfRange, path.key("grid"), message);
            }
        }
        for (utility_idx, utility) in written.constraint_utilities.iter().enumerate() {
            for (constraint_idx, constraint) in utility.constraints.iter().enumerate() {
                for (bound_idx, bound) in constraint.bounds.iter().enumerate() {
                    let continuous = self
                        .issues
                        .get(&bound.issue)
                        .is_some_and(|&issue_idx| written.issues[issue_idx].range.is_some());
                    if continuous {
                        let path = root("constraint_utilities", utility_idx)
                            .key("constraints")
                            .index(constraint_idx)
                            .key(constraint.kind.as_str())
                            .index(bound_idx)
                            .key("issue");
                        let message = format!(
                            "issue '{}' is continuous, expected an issue with listed options: constraints bound options",
                            bound.issue
                        );
                        self.error(Kind::Inconsistent, path, message);
                    }
                }
            }
        }
        for (position_idx, position) in written.positions.iter().enumerate() {
            let path = root("positions", position_idx);
            let Some(&issue_idx) = self.issues.get(&position.issue) else { continue };
            let issue = &written.issues[issue_idx];
            let Some(range) = &issue.range else {
                if !position.curve.is_empty() {
                    let message = format!(
                        "issue '{}' lists options, expected stances on them instead of a curve (only a continuous issue, one with a range, takes a curve)",
                        issue.id
                    );
                    self.error(Kind::Inconsistent, path.key("curve"), message);
                }
                continue;
            };
            if position.curve.is_empty() {
                if !position.stances.is_empty() {
                    let message = format!(
                        "issue '{}' is continuous, expected a curve of [number, value] points instead of stances",
                        issue.id
                    );
                    self.error(Kind::Inconsistent, path.key("stances"), message);
                }
                continue;
            }
            // Stances beside the curve are its values, derived before; derived again.
            self.check_curve(&position.curve, range, &path.key("curve"));
        }
    }

    fn check_curve(&mut self, curve: &[CurvePoint], range: &NumberRange, path: &FieldPath) {
        if curve.len() < 2 {
            let message = format!(
                "a curve of {} point, expected at least 2: one at each end of the range",
                curve.len()
            );
            self.error(Kind::Inconsistent, path.clone(), message);
            return;
        }
        for (point_idx, point) in curve.iter().enumerate() {
            let point_path = path.index(point_idx);
            if !(point.value.is_finite() && (0.0..=1.0).contains(&point.value)) {
                let message = format!("value {} is outside [0, 1]", point.value);
                self.error(Kind::OutOfRange, point_path.clone(), message);
            }
            if !point.number.is_finite() {
                let message = format!("number {} is not finite", point.number);
                self.error(Kind::OutOfRange, point_path, message);
            } else if point_idx > 0 && point.number <= curve[point_idx - 1].number {
                let message = format!(
                    "number {} does not rise above the point before it ({}): a curve's numbers rise",
                    point.number,
                    curve[point_idx - 1].number
                );
                self.error(Kind::Inconsistent, point_path, message);
            }
        }
        let (first, last) = (curve[0].number, curve[curve.len() - 1].number);
        if first != range.lower || last != range.upper {
            let message = format!(
                "a curve from {first} to {last}, expected one from the range's lower end {} to its upper end {}",
                range.lower, range.upper
            );
            self.error(Kind::Inconsistent, path.clone(), message);
        }
    }

    fn check_tracks(&mut self) {
        let tracks = &self.scenario.tracks;
        self.check_unique(
            "track",
            tracks.iter().enumerate().map(|(idx, t)| (&t.id, root("tracks", idx).key("id"))),
        );
        for (track_idx, track) in tracks.iter().enumerate() {
            let path = root("tracks", track_idx);
            if track.parties.len() < 2 {
                let message = format!(
                    "track '{}' has {} parties, expected at least two",
                    track.id,
                    track.parties.len()
                );
                self.error(Kind::Inconsistent, path.key("parties"), message);
            }
            for (party_idx, party) in track.parties.iter().enumerate() {
                self.check_party_ref(party, path.key("parties").index(party_idx));
            }
            if let Some(document) = &track.document {
                let known = self.drafts.contains_key(document);
                self.check_reference("draft", document, known, path.key("document"));
            }
            self.check_cites(&track.cites, path.key("cites"));
        }
    }

    fn check_meetings(&mut self) {
        let meetings = &self.scenario.meetings;
        self.check_unique(
            "meeting",
            meetings.iter().enumerate().map(|(idx, m)| (&m.id, root("meetings", idx).key("id"))),
        );
        for (meeting_idx, meeting) in meetings.iter().enumerate() {
            let path = root("meetings", meeting_idx);
            let track =
                self.tracks.get(&meeting.track).map(|&track_idx| &self.scenario.tracks[track_idx]);
            self.check_reference("track", &meeting.track, track.is_some(), path.key("track"));
            for (attendee_idx, attendee) in meeting.attendees.iter().enumerate() {
                let attendee_path = path.key("attendees").index(attendee_idx);
                let party_idx =
                    self.delegates.get(attendee).or_else(|| self.parties.get(attendee)).copied();
                let Some(party_idx) = party_idx else {
                    let scenario = self.scenario;
                    let known = scenario.parties.iter().flat_map(|party| {
                        party
                            .delegates
                            .iter()
                            .map(|delegate| delegate.id.as_str())
                            .chain([party.id.as_str()])
                    });
                    let suggestion = did_you_mean(attendee.as_str(), known);
                    let message = format!(
                        "attendee '{attendee}'{suggestion} is no party's delegate (nor a party)"
                    );
                    self.error(Kind::UnknownAttendee, attendee_path, message);
                    continue;
                };
                let party = &self.scenario.parties[party_idx];
                if let Some(track) = track
                    && !track.parties.contains(&party.id)
                {
                    let message = format!(
                        "attendee '{attendee}' speaks for '{}', which is not on track '{}'",
                        party.id, track.id
                    );
                    self.warning(Kind::Inconsistent, attendee_path, message);
                }
            }
            for (field, issues) in
                [("settled", &meeting.settled), ("left_open", &meeting.left_open)]
            {
                for (issue_idx, issue) in issues.iter().enumerate() {
                    self.check_issue_ref(issue, path.key(field).index(issue_idx));
                }
            }
            if meeting.status == MeetingStatus::Held {
                self.check_not_after_as_of("a held meeting", meeting.date, path.key("date"));
            }
            self.check_visibility(&meeting.visibility, path.key("visibility"));
            self.check_condition(&meeting.condition, path.key("condition"));
            self.check_inferred_cited(
                "the meeting's status",
                meeting.status_basis,
                &meeting.cites,
                path.key("status_basis"),
            );
            self.check_cites(&meeting.cites, path.key("cites"));
        }
    }

    fn check_drafts(&mut self) {
        let drafts = &self.scenario.drafts;
        self.check_unique(
            "draft",
            drafts.iter().enumerate().map(|(idx, d)| (&d.id, root("drafts", idx).key("id"))),
        );
        for (draft_idx, draft) in drafts.iter().enumerate() {
            let path = root("drafts", draft_idx);
            self.check_draft(draft, &path);
        }
        self.check_draft_cycles();
        self.check_columns();
    }

    /// A draft that answers a compromise is its author's column in that round: it names an
    /// existing draft other than itself, one that answers none, and a party has one column
    /// per round.
    fn check_columns(&mut self) {
        let drafts = &self.scenario.drafts;
        let mut columns: HashMap<(&Id, &Id), usize> = HashMap::default();
        for (draft_idx, draft) in drafts.iter().enumerate() {
            let Some(answers) = &draft.answers else { continue };
            let path = root("drafts", draft_idx).key("answers");
            let Some(&compromise_idx) = self.drafts.get(answers) else {
                self.check_reference("draft", answers, false, path);
                continue;
            };
            if compromise_idx == draft_idx {
                let message =
                    format!("draft '{}' answers itself, expected another draft", draft.id);
                self.error(Kind::Inconsistent, path, message);
                continue;
            }
            let Some(author) = &draft.author else {
                let message = format!(
                    "draft '{}' answers '{answers}' but names no author, expected the party whose column it is",
                    draft.id
                );
                self.error(Kind::Inconsistent, root("drafts", draft_idx).key("author"), message);
                continue;
            };
            let compromise = &drafts[compromise_idx];
            let apart = kept_apart(&draft.visibility, Some(author), compromise.author.as_ref());
            if compromise.answers.is_some() {
                let message = format!(
                    "draft '{}' answers '{answers}', which itself answers another draft, expected the round's compromise text",
                    draft.id
                );
                self.cross_record(apart, Kind::Inconsistent, path.clone(), message);
            }
            if compromise.author.as_ref() == Some(author) {
                let message = format!(
                    "draft '{}' answers '{answers}', which its author '{author}' wrote too, expected another party's text",
                    draft.id
                );
                self.cross_record(apart, Kind::Inconsistent, path.clone(), message);
            }
            if let Some(first) = columns.insert((answers, author), draft_idx) {
                let message = format!(
                    "party '{author}' has two columns answering '{answers}': '{}' and '{}', expected one",
                    drafts[first].id, draft.id
                );
                self.error(Kind::DuplicateId, path, message);
            }
        }
    }

    /// Each agreement names a party, and a point of the draft that keeps no brackets.
    fn check_agreements(&mut self, draft: &'a Draft, path: &FieldPath) {
        let mut seen: HashMap<(&Id, Option<&Id>, AgreementKind), usize> = HashMap::default();
        for (agreement_idx, agreement) in draft.agreements.iter().enumerate() {
            let agreement_path = path.key("agreements").index(agreement_idx);
            self.check_party_ref(&agreement.party, agreement_path.key("party"));
            if let Some(point_id) = &agreement.point {
                match draft.points.iter().find(|point| &point.id == point_id) {
                    None => {
                        let suggestion = did_you_mean(
                            point_id.as_str(),
                            draft.points.iter().map(|point| point.id.as_str()),
                        );
                        let message =
                            format!("draft '{}' has no point '{point_id}'{suggestion}", draft.id);
                        self.error(Kind::UnknownReference, agreement_path.key("point"), message);
                    }
                    Some(point) if matches!(point.settlement, Settlement::Bracketed(_)) => {
                        let message = format!(
                            "point '{point_id}' keeps bracketed alternatives, expected a point with one text to agree to"
                        );
                        self.error(Kind::Inconsistent, agreement_path.key("point"), message);
                    }
                    Some(_) => {}
                }
            }
            let key = (&agreement.party, agreement.point.as_ref(), agreement.kind);
            if let Some(first) = seen.insert(key, agreement_idx) {
                let message = format!(
                    "party '{}' agrees {} to {} twice, first at agreements[{first}]",
                    agreement.party,
                    agreement.kind.as_str(),
                    agreement.point.as_ref().map_or_else(
                        || "the whole draft".to_owned(),
                        |point| format!("point '{point}'")
                    )
                );
                self.error(Kind::DuplicateId, agreement_path.clone(), message);
            }
            self.check_not_after_as_of("an agreement", agreement.date, agreement_path.key("date"));
            if let (Some(date), Some(draft_date)) = (agreement.date, draft.date)
                && date.date < draft_date.date
            {
                let message = format!(
                    "the agreement is dated {}, before its draft '{}' dated {}",
                    date.date, draft.id, draft_date.date
                );
                self.error(Kind::DateOrder, agreement_path.key("date"), message);
            }
            self.check_inferred_cited(
                "the agreement",
                agreement.basis,
                &agreement.cites,
                agreement_path.key("basis"),
            );
            self.check_visibility(&agreement.visibility, agreement_path.key("visibility"));
            self.check_cites(&agreement.cites, agreement_path.key("cites"));
        }
    }

    fn check_draft(&mut self, draft: &'a Draft, path: &FieldPath) {
        if let Some(author) = &draft.author {
            self.check_party_ref(author, path.key("author"));
        }
        self.check_condition(&draft.condition, path.key("condition"));
        self.check_inferred_cited(
            "the draft's status",
            draft.status_basis,
            &draft.cites,
            path.key("status_basis"),
        );
        self.check_not_after_as_of("a draft", draft.date, path.key("date"));
        let point_ids =
            draft.points.iter().enumerate().map(|(point_idx, point)| {
                (&point.id, path.key("points").index(point_idx).key("id"))
            });
        self.check_unique(&format!("point (in draft '{}')", draft.id), point_ids);
        if let Some(count) = draft.point_count
            && (count as usize) < draft.points.len()
        {
            let message =
                format!("point_count is {count} but {} points are described", draft.points.len());
            self.error(Kind::OutOfRange, path.key("point_count"), message);
        }
        let mut numbers = BTreeMap::new();
        for (point_idx, point) in draft.points.iter().enumerate() {
            let point_path = path.key("points").index(point_idx);
            if let Some(number) = point.number {
                if let Some(first) = numbers.insert(number, point_idx) {
                    let message = format!(
                        "point number {number} is used twice, first by point '{}'",
                        draft.points[first].id
                    );
                    self.error(Kind::DuplicateId, point_path.key("number"), message);
                }
                if let Some(count) = draft.point_count
                    && (number == 0 || number > count)
                {
                    let message = format!("point number {number} is outside 1..={count}");
                    self.error(Kind::OutOfRange, point_path.key("number"), message);
                }
            }
            self.check_settlement(draft, point_idx, &point_path);
            self.check_cites(&point.cites, point_path.key("cites"));
        }
        for (parent_idx, parent) in draft.parents.iter().enumerate() {
            let parent_path = path.key("parents").index(parent_idx);
            let Some(&parent_draft_idx) = self.drafts.get(parent) else {
                self.check_reference("draft", parent, false, parent_path);
                continue;
            };
            let parent_draft = &self.scenario.drafts[parent_draft_idx];
            let apart =
                kept_apart(&draft.visibility, draft.author.as_ref(), parent_draft.author.as_ref());
            if let (Some(date), Some(parent_date)) = (draft.date, parent_draft.date)
                && date.date < parent_date.date
            {
                let message = format!(
                    "draft '{}' is dated {}, before its parent '{}' dated {}",
                    draft.id, date.date, parent, parent_date.date
                );
                self.cross_record(apart, Kind::DateOrder, path.key("date"), message);
            }
            self.check_lineage_of_parent(draft, parent_draft, path, apart);
        }
        for (entry_idx, entry) in draft.lineage.iter().enumerate() {
            let entry_path = path.key("lineage").index(entry_idx);
            if !draft.parents.contains(&entry.parent) {
                let message = format!(
                    "lineage names '{}', which is not a parent of draft '{}'",
                    entry.parent, draft.id
                );
                self.error(Kind::UnknownReference, entry_path.key("parent"), message);
            }
            self.check_cites(&entry.cites, entry_path.key("cites"));
        }
        self.check_agreements(draft, path);
        self.check_visibility(&draft.visibility, path.key("visibility"));
        self.check_cites(&draft.cites, path.key("cites"));
    }

    fn check_settlement(&mut self, draft: &Draft, point_idx: usize, point_path: &FieldPath) {
        let point = &draft.points[point_idx];
        let issue_idx = match &point.issue {
            Some(issue) => self.check_issue_ref(issue, point_path.key("issue")),
            None => None,
        };
        let options: Vec<(&Id, FieldPath)> = match &point.settlement {
            Settlement::Unspecified => Vec::new(),
            Settlement::Option(option) => vec![(option, point_path.key("option"))],
            Settlement::Bracketed(options) => {
                if options.len() < 2 {
                    let message = format!(
                        "{} bracketed alternative(s), expected at least two",
                        options.len()
                    );
                    self.error(Kind::Inconsistent, point_path.key("brackets"), message);
                }
                options
                    .iter()
                    .enumerate()
                    .map(|(idx, option)| (option, point_path.key("brackets").index(idx)))
                    .collect()
            }
        };
        if point.issue.is_none() && !options.is_empty() {
            let message = format!("point '{}' settles options but names no issue", point.id);
            self.error(Kind::Inconsistent, point_path.key("issue"), message);
        }
        let Some(issue_idx) = issue_idx else { return };
        for (option, option_path) in options {
            if !self.options[issue_idx].contains_key(option) {
                let message = self.no_option_message(issue_idx, option);
                self.error(Kind::UnknownOption, option_path, message);
            }
        }
    }

    /// Every point of the parent must be accounted for exactly once by the draft's lineage.
    /// `apart`: the draft and its parent are kept apart (see [`kept_apart`]), so what ties
    /// the lineage to the parent's points is only a warning.
    fn check_lineage_of_parent(
        &mut self,
        draft: &Draft,
        parent: &Draft,
        draft_path: &FieldPath,
        apart: bool,
    ) {
        let mut accounted: BTreeMap<&Id, usize> = BTreeMap::new();
        let mut rest_entry = None;
        for (entry_idx, entry) in
            draft.lineage.iter().enumerate().filter(|(_, entry)| entry.parent == parent.id)
        {
            let entry_path = draft_path.key("lineage").index(entry_idx);
            match &entry.points {
                PointSelection::Rest => {
                    if rest_entry.replace(entry_idx).is_some() {
                        let message =
                            format!("two lineage entries take the rest of parent '{}'", parent.id);
                        self.error(Kind::LineageGap, entry_path.key("points"), message);
                    }
                }
                PointSelection::Listed(points) => {
                    for (listed_idx, point) in points.iter().enumerate() {
                        let point_path = entry_path.key("points").index(listed_idx);
                        if !parent.points.iter().any(|candidate| &candidate.id == point) {
                            let message =
                                format!("parent draft '{}' has no point '{point}'", parent.id);
                            self.cross_record(apart, Kind::UnknownReference, point_path, message);
                        } else if let Some(first) = accounted.insert(point, entry_idx) {
                            let message = format!(
                                "point '{point}' of parent '{}' is accounted for twice, first by lineage[{first}]",
                                parent.id
                            );
                            self.error(Kind::LineageGap, point_path, message);
                        }
                    }
                }
            }
            match (&entry.into, entry.fate) {
                (None, Fate::Kept | Fate::Amended | Fate::Merged) => {
                    let message = format!(
                        "a {} point must name the point it became, in 'into'",
                        entry.fate.as_str()
                    );
                    self.error(Kind::Inconsistent, entry_path.key("into"), message);
                }
                (Some(into), _) if !draft.points.iter().any(|point| &point.id == into) => {
                    let message = format!("draft '{}' has no point '{into}'", draft.id);
                    self.error(Kind::UnknownReference, entry_path.key("into"), message);
                }
                _ => {}
            }
        }
        if rest_entry.is_some() {
            return;
        }
        let unaccounted: Vec<&str> = parent
            .points
            .iter()
            .filter(|point| !accounted.contains_key(&point.id))
            .map(|point| point.id.as_str())
            .collect();
        let n_undescribed = parent.n_points() - parent.points.len();
        if unaccounted.is_empty() && n_undescribed == 0 {
            return;
        }
        let mut missing = Vec::new();
        if !unaccounted.is_empty() {
            missing.push(format!("point(s) {}", unaccounted.join(", ")));
        }
        if n_undescribed > 0 {
            missing.push(format!("{n_undescribed} undescribed point(s)"));
        }
        let message = format!(
            "lineage leaves {} of parent '{}' unaccounted for, expected an entry for each (points = \"rest\" with fate = \"unknown\" where the sources do not say)",
            missing.join(" and "),
            parent.id
        );
        self.cross_record(apart, Kind::LineageGap, draft_path.key("lineage"), message);
    }

    fn check_draft_cycles(&mut self) {
        let drafts = &self.scenario.drafts;
        let mut children: HashMap<&Id, Vec<&Id>> = HashMap::default();
        for draft in drafts {
            for parent in &draft.parents {
                children.entry(parent).or_default().push(&draft.id);
            }
        }
        for (draft_idx, draft) in drafts.iter().enumerate() {
            let ancestors = self.reachable(&draft.id, |id| {
                self.drafts
                    .get(id)
                    .map(|&idx| drafts[idx].parents.iter().collect())
                    .unwrap_or_default()
            });
            if !ancestors.contains(&draft.id) {
                continue;
            }
            let descendants =
                self.reachable(&draft.id, |id| children.get(id).cloned().unwrap_or_default());
            let message = format!("draft '{}' is its own ancestor", draft.id);
            let path = root("drafts", draft_idx).key("parents");
            // The drafts on its cycles: its ancestors that descend from it.
            let cycle: Vec<&Draft> = drafts
                .iter()
                .filter(|other| ancestors.contains(&other.id) && descendants.contains(&other.id))
                .collect();
            // Whoever changes a draft on the cycle is a mediator or the author of one of its
            // drafts; when some author may not see every draft on it, a refusal would tell
            // that author of a draft hidden from it.
            let seen_whole =
                cycle.iter().filter_map(|member| member.author.as_ref()).all(|author| {
                    cycle.iter().all(|member| {
                        let owners: Vec<&Id> = member.author.iter().collect();
                        crate::access::party_sees(
                            self.scenario,
                            author,
                            &member.visibility,
                            &owners,
                        )
                    })
                });
            self.cross_record(!seen_whole, Kind::LineageCycle, path, message);
        }
    }

    /// The drafts reached from a draft by following `next` (its parents, or its children),
    /// itself included only when a path leads back to it.
    fn reachable(&self, id: &'a Id, next: impl Fn(&'a Id) -> Vec<&'a Id>) -> BTreeSet<&'a Id> {
        let mut stack = next(id);
        let mut visited = BTreeSet::new();
        while let Some(reached) = stack.pop() {
            if visited.insert(reached) {
                stack.extend(next(reached));
            }
        }
        visited
    }

    fn check_positions(&mut self) {
        let mut seen: HashMap<(&Id, &Id, Option<Date>), usize> = HashMap::default();
        for (position_idx, position) in self.scenario.positions.iter().enumerate() {
            let path = root("positions", position_idx);
            self.check_party_ref(&position.party, path.key("party"));
            let issue_idx = self.check_issue_ref(&position.issue, path.key("issue"));
            let key = (&position.party, &position.issue, position.date.map(|date| date.date));
            if let Some(first) = seen.insert(key, position_idx) {
                let message = format!(
                    "party '{}' has two positions on issue '{}' at the same date, first at positions[{first}]",
                    position.party, position.issue
                );
                self.error(Kind::Inconsistent, path.key("date"), message);
            }
            self.check_not_after_as_of("a position", position.date, path.key("date"));
            self.check_condition(&position.condition, path.key("condition"));
            self.check_inferred_cited(
                "the position",
                position.confidence,
                &position.cites,
                path.key("confidence"),
            );
            if position.importance.is_some() && position.importance_basis != position.confidence {
                self.check_inferred_cited(
                    "the importance",
                    position.importance_basis,
                    &position.cites,
                    path.key("importance_basis"),
                );
            }
            if let Some(Importance::Weight(weight)) = position.importance
                && !(weight.is_finite() && weight >= 0.0)
            {
                let message = format!(
                    "weight {weight} is negative or not a number, expected 0 (the issue does not matter to the party) or more"
                );
                self.error(Kind::NonPositiveWeight, path.key("weight"), message);
            }
            if let Some(issue_idx) = issue_idx {
                self.check_stances(position, issue_idx, &path);
            }
            self.check_visibility(&position.visibility, path.key("visibility"));
            self.check_cites(&position.cites, path.key("cites"));
        }
    }

    fn check_stances(&mut self, position: &Position, issue_idx: usize, path: &FieldPath) {
        let mut seen = BTreeSet::new();
        for (option, stance) in &position.stances {
            let stance_path = path.key("stances").key(option.to_string());
            if !self.options[issue_idx].contains_key(option) {
                let message = self.no_option_message(issue_idx, option);
                self.error(Kind::UnknownOption, stance_path.clone(), message);
            }
            if !seen.insert(option) {
                let message = format!("option '{option}' has two stances");
                self.error(Kind::DuplicateId, stance_path.clone(), message);
            }
            // A curve's values are checked on the curve, not again on its grid.
            if let Stance::Value(value) = stance
                && position.curve.is_empty()
                && !(value.is_finite() && (0.0..=1.0).contains(value))
            {
                let message = format!("value {value} is outside [0, 1]");
                self.error(Kind::OutOfRange, stance_path, message);
            }
        }
    }

    fn check_constraint_utilities(&mut self) {
        let utilities = &self.scenario.constraint_utilities;
        let mut seen: HashMap<&Id, usize> = HashMap::default();
        for (utility_idx, utility) in utilities.iter().enumerate() {
            let path = root("constraint_utilities", utility_idx);
            self.check_party_ref(&utility.party, path.key("party"));
            if let Some(&first) = seen.get(&utility.party) {
                let message = format!(
                    "party '{}' has two constraint utilities, first at constraint_utilities[{first}], expected at most one",
                    utility.party
                );
                self.error(Kind::Inconsistent, path.key("party"), message);
            } else {
                seen.insert(&utility.party, utility_idx);
            }
            if !(utility.max_utility.is_finite() && utility.max_utility > 0.0) {
                let message = format!(
                    "max_utility {} is not valid, expected a finite number above 0",
                    utility.max_utility
                );
                self.error(Kind::OutOfRange, path.key("max_utility"), message);
            }
            if utility.constraints.is_empty() {
                let message = format!(
                    "the constraint utility of party '{}' has no constraints: every outcome is worth 0 to it",
                    utility.party
                );
                self.warning(Kind::Inconsistent, path.key("constraints"), message);
            }
            for (constraint_idx, constraint) in utility.constraints.iter().enumerate() {
                let constraint_path = path.key("constraints").index(constraint_idx);
                if !constraint.value.is_finite() {
                    let message = format!(
                        "value {} is not valid, expected a finite number",
                        constraint.value
                    );
                    self.error(Kind::OutOfRange, constraint_path.key("value"), message);
                }
                self.check_bounds(constraint, &constraint_path);
            }
            self.check_visibility(&utility.visibility, path.key("visibility"));
            self.check_cites(&utility.cites, path.key("cites"));
        }
        // A party's utility is additive or by constraints: its positions then give neither
        // importances nor stances.
        for (position_idx, position) in self.scenario.positions.iter().enumerate() {
            let Some(&utility_idx) = seen.get(&position.party) else { continue };
            let path = root("positions", position_idx);
            let field = match position.importance {
                _ if !position.stances.is_empty() => "stances",
                Some(Importance::Weight(_)) => "weight",
                Some(Importance::Level(_)) => "importance",
                None => continue,
            };
            let message = format!(
                "party '{}' has a constraint utility (constraint_utilities[{utility_idx}]), so its positions may give no importance, weight or stances: a party's utility is either additive (importances and stances in positions) or by constraints, not both",
                position.party
            );
            self.error(Kind::Inconsistent, path.key(field), message);
        }
    }

    fn check_bounds(&mut self, constraint: &'a Constraint, path: &FieldPath) {
        let bounds_path = path.key(constraint.kind.as_str());
        let mut seen: HashMap<&Id, usize> = HashMap::default();
        for (bound_idx, bound) in constraint.bounds.iter().enumerate() {
            let bound_path = bounds_path.index(bound_idx);
            let issue_idx = self.check_issue_ref(&bound.issue, bound_path.key("issue"));
            if let Some(&first) = seen.get(&bound.issue) {
                let message = format!(
                    "issue '{}' is bounded twice in one constraint, first at {}[{first}], expected one bound per issue",
                    bound.issue,
                    constraint.kind.as_str()
                );
                self.error(Kind::DuplicateId, bound_path.key("issue"), message);
            } else {
                seen.insert(&bound.issue, bound_idx);
            }
            let Some(issue_idx) = issue_idx else { continue };
            let issue = &self.scenario.issues[issue_idx];
            let mut option_index = |option: &Id, field: &'static str| {
                let index = self.options[issue_idx].get(option).copied();
                if index.is_none() {
                    let message = self.no_option_message(issue_idx, option);
                    self.error(Kind::UnknownOption, bound_path.key(field), message);
                }
                index
            };
            let from = option_index(&bound.from, "from");
            let to = option_index(&bound.to, "to");
            if let (Some(from), Some(to)) = (from, to)
                && from > to
            {
                let message = format!(
                    "option '{}' comes after '{}' among the options of issue '{}', expected a range from an option to the same or a later one",
                    bound.from, bound.to, issue.id
                );
                self.error(Kind::Inconsistent, bound_path.key("from"), message);
            }
        }
    }

    fn check_claims(&mut self) {
        let claims = &self.scenario.claims;
        self.check_unique(
            "claim",
            claims.iter().enumerate().map(|(idx, c)| (&c.id, root("claims", idx).key("id"))),
        );
        for (claim_idx, claim) in claims.iter().enumerate() {
            let path = root("claims", claim_idx);
            self.check_party_ref(&claim.claimant, path.key("claimant"));
            self.check_not_after_as_of("a claim", claim.date, path.key("date"));
            if let Some(disputed) = &claim.disputes {
                match self.claims.get(disputed).map(|&idx| &claims[idx]) {
                    None => self.check_reference("claim", disputed, false, path.key("disputes")),
                    Some(disputed_claim) if disputed_claim.id == claim.id => {
                        let message = format!("claim '{}' disputes itself", claim.id);
                        self.error(Kind::Inconsistent, path.key("disputes"), message);
                    }
                    Some(disputed_claim) => {
                        if let (Some(date), Some(disputed_date)) = (claim.date, disputed_claim.date)
                            && date.date < disputed_date.date
                        {
                            let message = format!(
                                "counter-claim '{}' is dated {}, before the claim '{}' it disputes, dated {}",
                                claim.id, date.date, disputed_claim.id, disputed_date.date
                            );
                            let apart = kept_apart(
                                &claim.visibility,
                                Some(&claim.claimant),
                                Some(&disputed_claim.claimant),
                            );
                            self.cross_record(apart, Kind::DateOrder, path.key("date"), message);
                        }
                    }
                }
            }
            self.check_visibility(&claim.visibility, path.key("visibility"));
            self.check_cites(&claim.cites, path.key("cites"));
        }
    }
}
