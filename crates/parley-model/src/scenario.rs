//! The entities of a negotiation record and the scenario that holds them.
//!
//! These are plain data. [`crate::validate::validate`] checks a [`Scenario`] and wraps it in
//! a [`crate::validate::ValidScenario`], which the analysis takes.

use crate::scale::Scale;
use crate::stance::{Importance, Stance};
use crate::{Basis, FuzzyDate, Id, Place};

macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// All values, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The keyword used in files and outputs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// Parses a keyword.
            pub fn parse(text: &str) -> Result<$name, String> {
                crate::values::keyword_lookup(text, $name::ALL, $name::as_str)
            }
        }
    };
}

/// A whole negotiation record: the unit that files hold and the analysis reads.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Scenario {
    /// The scenario's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// A short description.
    pub description: String,
    /// The date the record describes the talks at, when known.
    pub as_of: Option<FuzzyDate>,
    /// The mapping from ordinal stances and importances to numbers.
    pub scale: Scale,
    /// The sources that facts cite.
    pub sources: Vec<Source>,
    /// The parties.
    pub parties: Vec<Party>,
    /// The issues under negotiation.
    pub issues: Vec<Issue>,
    /// The channels of talks.
    pub tracks: Vec<Track>,
    /// The meetings held, planned or cancelled.
    pub meetings: Vec<Meeting>,
    /// The versions of the plan.
    pub drafts: Vec<Draft>,
    /// The parties' positions on issues over time.
    pub positions: Vec<Position>,
    /// The parties whose utility is by constraints rather than additive, at most one each.
    pub constraint_utilities: Vec<ConstraintUtility>,
    /// Factual claims and counter-claims.
    pub claims: Vec<Claim>,
}

/// Where in a source a fact is found, and whose words it reports.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Citation {
    /// The source.
    pub source: Id,
    /// The section of the source, when it has sections.
    pub section: Option<String>,
    /// Who said it, as the source names them (a person, "European leaders", the reporter),
    /// when the citation reports someone's words.
    pub speaker: Option<String>,
    /// A short quote of the source's words, a few words at most
    /// ([`MAX_QUOTE_WORDS`]).
    pub quote: Option<String>,
}

impl Citation {
    /// A citation of a source's section, with no speaker or quote.
    pub fn new(source: Id, section: Option<String>) -> Citation {
        Citation { source, section, speaker: None, quote: None }
    }
}

/// The most words a citation's quote may have: a short phrase, not a passage.
pub const MAX_QUOTE_WORDS: usize = 12;

/// A condition that a meeting, position or draft depends on, and the party whose condition
/// it is, e.g. a meeting that a party will attend only if the talks look fair.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Condition {
    /// What must hold.
    pub text: String,
    /// The party that sets the condition.
    pub party: Id,
}

/// A sourced note on any entity, e.g. a supporter's humanitarian aid.
#[derive(Clone, PartialEq, Debug)]
pub struct Note {
    /// The note.
    pub text: String,
    /// When it was true or said, when known.
    pub date: Option<FuzzyDate>,
    /// Whether a source gives it or the analyst assumed it.
    pub basis: Basis,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

/// A document that facts cite.
#[derive(Clone, PartialEq, Debug)]
pub struct Source {
    /// The source's id.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published.
    pub date: Option<FuzzyDate>,
    /// Its address or file.
    pub address: Option<String>,
    /// Its sections, when citations name them; a citation must name one of these.
    pub sections: Vec<String>,
}

keyword_enum! {
    /// A party's role in the talks.
    Role {
        /// A side whose agreement the deal is between.
        Principal = "principal",
        /// A go-between who drafts and carries texts.
        Mediator = "mediator",
        /// A party that guarantees or finances parts of a deal.
        Guarantor = "guarantor",
        /// A party that supports one side.
        Supporter = "supporter",
        /// A party that watches.
        Observer = "observer",
    }
}

/// Whose consent a deal needs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Consent {
    /// The party must accept the whole deal.
    Required,
    /// The party must accept the points on these issues, which depend on it.
    OnIssues(Vec<Id>),
    /// The deal does not need the party's consent.
    NotRequired,
}

impl Consent {
    /// Whether the party's consent is needed on the issue.
    pub fn is_required_on(&self, issue: &Id) -> bool {
        match self {
            Consent::Required => true,
            Consent::OnIssues(issues) => issues.contains(issue),
            Consent::NotRequired => false,
        }
    }

    /// Whether the party's consent is needed on any issue.
    pub fn is_required_anywhere(&self) -> bool {
        match self {
            Consent::Required => true,
            Consent::OnIssues(issues) => !issues.is_empty(),
            Consent::NotRequired => false,
        }
    }
}

/// A person who speaks for a party.
#[derive(Clone, PartialEq, Debug)]
pub struct Delegate {
    /// The delegate's id, unique across all parties.
    pub id: Id,
    /// Their name.
    pub name: String,
    /// Their title.
    pub title: Option<String>,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

/// A party's stated interest or stake, e.g. sovereignty or regional security.
#[derive(Clone, PartialEq, Debug)]
pub struct Interest {
    /// The interest.
    pub label: String,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

/// What no deal is worth to a party, on its utility scale from 0 to 1.
#[derive(Clone, PartialEq, Debug)]
pub struct Reservation {
    /// The value, in [0, 1].
    pub value: f64,
    /// Whether a source gives it or the analyst assumed it.
    pub basis: Basis,
    /// Why this value.
    pub note: Option<String>,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

/// A side or participant in the talks.
#[derive(Clone, PartialEq, Debug)]
pub struct Party {
    /// The party's id.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Whether a deal needs its consent.
    pub consent: Consent,
    /// Whether a source gives the consent's scope or the analyst reads or assumes it.
    pub consent_basis: Basis,
    /// The people who speak for it.
    pub delegates: Vec<Delegate>,
    /// Its stated interests and stakes.
    pub interests: Vec<Interest>,
    /// What no deal is worth to it, when known or assumed.
    pub reservation: Option<Reservation>,
    /// How its utility shrinks over time, in (0, 1], as GENIUS profiles give it; kept and
    /// reported, while the analysis is undiscounted.
    pub discount_factor: Option<f64>,
    /// Sourced notes.
    pub notes: Vec<Note>,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

keyword_enum! {
    /// The kind of point under negotiation.
    Category {
        /// Borders and control of land.
        Territory = "territory",
        /// Guarantees of a party's security.
        SecurityGuarantees = "security-guarantees",
        /// Membership of alliances.
        Alliances = "alliances",
        /// Sanctions and their lifting.
        Sanctions = "sanctions",
        /// Money, reconstruction and assets.
        FinanceAndReconstruction = "finance-and-reconstruction",
        /// People, prisoners, refugees and aid.
        Humanitarian = "humanitarian",
        /// Government, elections and who takes part in decisions.
        Governance = "governance",
        /// Sizes and deployments of forces.
        MilitaryLimits = "military-limits",
        /// Accountability and amnesty.
        Justice = "justice",
        /// Anything else.
        Other = "other",
    }
}

/// One alternative outcome of an issue.
#[derive(Clone, PartialEq, Debug)]
pub struct IssueOption {
    /// The option's id, unique within its issue.
    pub id: Id,
    /// What the option means.
    pub label: String,
}

/// A point under negotiation and its alternative outcomes.
#[derive(Clone, PartialEq, Debug)]
pub struct Issue {
    /// The issue's id.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// Its category.
    pub category: Category,
    /// A short description.
    pub description: String,
    /// The alternative outcomes, at least one. For a continuous issue (one with a
    /// [`Issue::range`]) they are the numbers of its grid, which
    /// [`crate::continuous::with_grids`] derives from the range: a file leaves them out.
    pub options: Vec<IssueOption>,
    /// For a continuous issue, the numbers it may take; `None` for an issue with listed
    /// options.
    pub range: Option<NumberRange>,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

/// The numbers a continuous issue may take, from `lower` to `upper`, and the grid of evenly
/// spaced numbers the analysis looks at: the analysis of a scenario with a continuous issue
/// is exact on the grid and an approximation of the continuous issue, and says so.
#[derive(Clone, PartialEq, Debug)]
pub struct NumberRange {
    /// The lowest number.
    pub lower: f64,
    /// The highest number, above `lower`.
    pub upper: f64,
    /// How many evenly spaced numbers from `lower` to `upper` (both included) the analysis
    /// takes, at least 2.
    pub grid: usize,
}

impl Issue {
    /// The index of an option, by id.
    pub fn option_index(&self, option: &Id) -> Option<usize> {
        self.options.iter().position(|candidate| &candidate.id == option)
    }
}

/// Who may see a record.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Visibility {
    /// Everyone.
    Public,
    /// The parties of a track (and the mediators).
    Track(Id),
    /// The parties it belongs to and the mediators: for a position or a constraint utility
    /// its party, for a meeting the parties of its track, for a draft its author, for an
    /// agreement the party that agrees.
    Private,
}

/// A channel of talks between some parties.
#[derive(Clone, PartialEq, Debug)]
pub struct Track {
    /// The track's id.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// The parties that take part.
    pub parties: Vec<Id>,
    /// The draft it works from, when known.
    pub document: Option<Id>,
    /// A short description.
    pub description: String,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

keyword_enum! {
    /// Whether a meeting took place.
    MeetingStatus {
        /// It is to take place.
        Planned = "planned",
        /// It took place.
        Held = "held",
        /// It was called off.
        Cancelled = "cancelled",
    }
}

/// A meeting on a track.
#[derive(Clone, PartialEq, Debug)]
pub struct Meeting {
    /// The meeting's id.
    pub id: Id,
    /// The track it belongs to.
    pub track: Id,
    /// Its title.
    pub title: String,
    /// When it took place, when known.
    pub date: Option<FuzzyDate>,
    /// Where it took place, when known.
    pub place: Option<Place>,
    /// The delegates who attended (or whole parties, by party id, when no one is named).
    pub attendees: Vec<Id>,
    /// How long it lasted, in minutes.
    pub duration_minutes: Option<u32>,
    /// Whether it took place.
    pub status: MeetingStatus,
    /// Whether a source gives the status or the analyst reads or assumes it.
    pub status_basis: Basis,
    /// What the meeting depends on, for one that is planned only if something holds.
    pub condition: Option<Condition>,
    /// The issues it settled.
    pub settled: Vec<Id>,
    /// The issues it left open.
    pub left_open: Vec<Id>,
    /// What happened.
    pub summary: String,
    /// Who may see its details.
    pub visibility: Visibility,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

keyword_enum! {
    /// Where a draft stands.
    DraftStatus {
        /// Put forward.
        Proposed = "proposed",
        /// Being negotiated.
        UnderDiscussion = "under-discussion",
        /// Declared final by its parties.
        Finalized = "finalized",
        /// Replaced by a later draft.
        Superseded = "superseded",
    }
}

keyword_enum! {
    /// The stage of a peace process a draft belongs to, as peace-agreement databases classify
    /// agreements.
    Stage {
        /// Talks about talks.
        PreNegotiation = "pre-negotiation",
        /// A ceasefire.
        Ceasefire = "ceasefire",
        /// A framework for a later settlement.
        Framework = "framework",
        /// A comprehensive settlement.
        Comprehensive = "comprehensive",
        /// Implementing an earlier agreement.
        Implementation = "implementation",
    }
}

/// How a point of a draft settles its issue.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Settlement {
    /// The point's wording is not known in terms of the issue's options.
    Unspecified,
    /// The point settles the issue on one option.
    Option(Id),
    /// The point keeps bracketed alternatives, not yet agreed.
    Bracketed(Vec<Id>),
}

/// A numbered point of a draft.
#[derive(Clone, PartialEq, Debug)]
pub struct Point {
    /// The point's id, unique within its draft.
    pub id: Id,
    /// Its number in the draft, when known.
    pub number: Option<u32>,
    /// What it says.
    pub text: String,
    /// The issue it addresses, when it addresses one.
    pub issue: Option<Id>,
    /// How it settles that issue.
    pub settlement: Settlement,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

keyword_enum! {
    /// What became of a parent draft's point in a later draft.
    Fate {
        /// Carried over unchanged.
        Kept = "kept",
        /// Carried over with changes.
        Amended = "amended",
        /// Merged into another point.
        Merged = "merged",
        /// Left out.
        Dropped = "dropped",
        /// Not known: the sources do not say.
        Unknown = "unknown",
    }
}

/// Which of a parent draft's points a lineage entry speaks of.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PointSelection {
    /// These points, by id.
    Listed(Vec<Id>),
    /// Every point of the parent that no other entry names, described or not.
    Rest,
}

/// What became of some points of a parent draft.
#[derive(Clone, PartialEq, Debug)]
pub struct LineageEntry {
    /// The parent draft.
    pub parent: Id,
    /// Its points that this entry speaks of.
    pub points: PointSelection,
    /// What became of them.
    pub fate: Fate,
    /// The point of this draft they became (for kept, amended and merged points).
    pub into: Option<Id>,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

/// A version of the plan.
#[derive(Clone, PartialEq, Debug)]
pub struct Draft {
    /// The draft's id.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// When it was put forward, when known.
    pub date: Option<FuzzyDate>,
    /// The party that wrote it, when known.
    pub author: Option<Id>,
    /// The compromise draft this one answers: the draft is then its author's proposal (its
    /// column) in that draft's round, point by point beside the compromise (see
    /// [`crate::agreement::columns`]).
    pub answers: Option<Id>,
    /// Where it stands.
    pub status: DraftStatus,
    /// Whether a source gives the status or the analyst reads or assumes it.
    pub status_basis: Basis,
    /// What the draft depends on, e.g. a party's terms for accepting it.
    pub condition: Option<Condition>,
    /// The stage of the process it belongs to.
    pub stage: Option<Stage>,
    /// The drafts it revises.
    pub parents: Vec<Id>,
    /// How many points it has in all, when more are known to exist than are described.
    pub point_count: Option<u32>,
    /// Its points, as far as they are known.
    pub points: Vec<Point>,
    /// What became of its parents' points.
    pub lineage: Vec<LineageEntry>,
    /// The parties' agreements to its points or to the whole of it.
    pub agreements: Vec<Agreement>,
    /// A short description.
    pub summary: String,
    /// Who may see it.
    pub visibility: Visibility,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

keyword_enum! {
    /// How far a party's agreement goes.
    AgreementKind {
        /// Agreed by the delegation subject to its principals' approval: provisional, as
        /// everything is until the whole is agreed.
        AdReferendum = "ad-referendum",
        /// Agreed for good.
        Final = "final",
    }
}

/// A party's agreement to one point of a draft, or to the whole draft.
#[derive(Clone, PartialEq, Debug)]
pub struct Agreement {
    /// The party that agrees.
    pub party: Id,
    /// The point agreed to; `None` for the whole draft.
    pub point: Option<Id>,
    /// Ad referendum or final.
    pub kind: AgreementKind,
    /// When it was agreed, when known.
    pub date: Option<FuzzyDate>,
    /// Whether a source gives the agreement or the analyst reads or assumes it.
    pub basis: Basis,
    /// Who may see it: `private` is the agreeing party and the mediators.
    pub visibility: Visibility,
    /// Why the analyst reads the source this way.
    pub note: Option<String>,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

impl Draft {
    /// The number of points the draft has, described or not.
    pub fn n_points(&self) -> usize {
        self.point_count.map_or(self.points.len(), |count| count as usize).max(self.points.len())
    }

    /// The number of bracketed points: progress is measured by how few remain.
    pub fn n_open_brackets(&self) -> usize {
        self.points
            .iter()
            .filter(|point| matches!(point.settlement, Settlement::Bracketed(_)))
            .count()
    }
}

/// A party's stance on the options of one issue, at a date.
#[derive(Clone, PartialEq, Debug)]
pub struct Position {
    /// The party.
    pub party: Id,
    /// The issue.
    pub issue: Id,
    /// When the position was taken or reported.
    pub date: Option<FuzzyDate>,
    /// How much the issue matters to the party, when known.
    pub importance: Option<Importance>,
    /// Whether the party stated the importance, a source reports it, the analyst reads it
    /// from a sourced sentence, or assumed it.
    pub importance_basis: Basis,
    /// The party's stance on some or all of the issue's options. On a continuous issue
    /// with a [`Position::curve`], the curve's value at each grid number, derived by
    /// [`crate::continuous::with_grids`]: a file leaves them out.
    pub stances: Vec<(Id, Stance)>,
    /// On a continuous issue, the party's value of each number, linear between the points
    /// (numbers rising, from the range's lower to its upper end, values in [0, 1]); empty
    /// on an issue with listed options.
    pub curve: Vec<CurvePoint>,
    /// Whether the party stated the stances, a source reports them, the analyst reads them
    /// from a sourced sentence (`inferred`), or assumed them.
    pub confidence: Basis,
    /// What the position depends on, e.g. a party's terms for holding it.
    pub condition: Option<Condition>,
    /// Who may see it.
    pub visibility: Visibility,
    /// Why the analyst reads the source this way.
    pub note: Option<String>,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

/// One point of a [`Position::curve`].
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct CurvePoint {
    /// A number of the issue's range.
    pub number: f64,
    /// The party's value of it, in [0, 1].
    pub value: f64,
}

impl Position {
    /// The stance on an option, when recorded.
    pub fn stance_on(&self, option: &Id) -> Option<Stance> {
        self.stances.iter().find(|(candidate, _)| candidate == option).map(|(_, stance)| *stance)
    }
}

keyword_enum! {
    /// How a constraint's bounds decide whether an outcome satisfies it.
    ConstraintKind {
        /// Satisfied when the outcome's option on every bound's issue lies within the bound
        /// (a constraint with no bounds is always satisfied).
        Includes = "includes",
        /// Satisfied when the outcome's option on some bound's issue lies outside the bound
        /// (a constraint with no bounds is never satisfied).
        Excludes = "excludes",
    }
}

/// A range of one issue's options: from one option to another, both included, in the
/// order of the issue's options.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Bound {
    /// The issue.
    pub issue: Id,
    /// The first option of the range.
    pub from: Id,
    /// The last option of the range, not before `from`.
    pub to: Id,
}

/// One constraint of a constraint utility: a value that an outcome earns when it satisfies
/// the constraint's bounds.
#[derive(Clone, PartialEq, Debug)]
pub struct Constraint {
    /// What satisfying it is worth, a finite number (GENIUS gives positive integers).
    pub value: f64,
    /// How the bounds decide whether it is satisfied.
    pub kind: ConstraintKind,
    /// The ranges, at most one per issue.
    pub bounds: Vec<Bound>,
}

/// A party's utility by constraints (GENIUS's non-linear, hyper-rectangle profiles), in
/// place of the additive utility of weights and stances in positions: the utility of an
/// outcome is the sum of the values of the constraints it satisfies, divided by
/// `max_utility`, and at most 1.
#[derive(Clone, PartialEq, Debug)]
pub struct ConstraintUtility {
    /// The party.
    pub party: Id,
    /// The sum that gives utility 1, finite and above 0.
    pub max_utility: f64,
    /// The constraints, in the order they are summed.
    pub constraints: Vec<Constraint>,
    /// Whether the party stated it, a source reports it, or the analyst assumed it.
    pub basis: Basis,
    /// Who may see it.
    pub visibility: Visibility,
    /// Why the analyst reads the source this way.
    pub note: Option<String>,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}

keyword_enum! {
    /// Whether a claim holds.
    ClaimStatus {
        /// Disputed by another party.
        Contested = "contested",
        /// Shown to hold.
        Confirmed = "confirmed",
        /// Shown not to hold.
        Refuted = "refuted",
        /// Neither shown nor disputed.
        Unverified = "unverified",
    }
}

/// A factual claim that a party asserts.
#[derive(Clone, PartialEq, Debug)]
pub struct Claim {
    /// The claim's id.
    pub id: Id,
    /// The party that asserts it.
    pub claimant: Id,
    /// What it asserts.
    pub statement: String,
    /// When it was asserted, when known.
    pub date: Option<FuzzyDate>,
    /// Where the asserted event took place, when it has a place.
    pub place: Option<Place>,
    /// Whether it holds.
    pub status: ClaimStatus,
    /// The claim this one disputes, for a counter-claim.
    pub disputes: Option<Id>,
    /// Who may see it.
    pub visibility: Visibility,
    /// Where it comes from.
    pub cites: Vec<Citation>,
}
