//! The analysis part of the report: utilities, zone, frontiers, packages, the no-deal
//! analysis, draft evaluations and robustness, keyed by ids rather than indices.

use schemars::JsonSchema;
use serde::Serialize;

use parley_analysis::Analysis;
use parley_analysis::drafts::DraftEvaluation;
use parley_engine::blocking::Concession;
use parley_engine::control::Exceeded;
use parley_engine::outcome_set::OutcomeSet;
use parley_engine::zone::ZoneSize;
use parley_model::Basis;
use parley_model::scale::Scale;
use parley_model::scenario::Scenario;
use parley_model::stance::ImportanceLevel;
use parley_model::utility::{PartyUtilities, Provenance};

use crate::schema::{Map, as_map, count, count_schema, optional_count, optional_count_schema};

/// An outcome with each party's utility.
#[derive(Serialize, Debug, Clone, JsonSchema)]
pub struct OutcomeReport {
    /// The option of each issue; `None` (null) on an indifferent issue, where any option
    /// gives the same outcome.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<Option<String>>")]
    pub outcome: Vec<(String, Option<String>)>,
    /// Each negotiating party's utility.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<f64>")]
    pub utilities: Vec<(String, f64)>,
    /// The chosen options on which a party's stance is not recorded (valued at the middle of
    /// the scale's unknown interval): the outcome's standing rests on them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_stances: Vec<UnknownStance>,
    /// For a package (the outcomes of `solutions`; empty on frontier outcomes): the analyst's
    /// figures (inferred or assumed) its utilities rest on: the stances on its options, the
    /// importances, the reservations and the consent scopes of the negotiating parties, each
    /// with its basis.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rests_on: Vec<RestsOnReport>,
}

/// A figure of the analyst's (inferred or assumed) that a result rests on.
#[derive(Serialize, Debug, Clone, JsonSchema)]
pub struct RestsOnReport {
    /// `stance`, `red-line`, `importance`, `reservation` or `consent`.
    pub figure: &'static str,
    /// The party whose figure it is.
    pub party: String,
    /// The issue, for a stance, a red line or an importance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// The option, for a stance or a red line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// `inferred` or `assumed`.
    pub basis: &'static str,
    /// Where it is in the scenario, as in `assumptions`.
    pub path: String,
}

/// Which stance figure [`Names::issue_figures`] adds beside the importance.
#[derive(Clone, Copy)]
enum StanceFigure {
    /// None: the stance is not the analyst's figure to list.
    Left,
    /// The party's stances on the issue as a whole.
    Issue,
    /// The party's stance on one option.
    Option(usize),
}

/// A chosen option on which a party's stance is not recorded.
#[derive(Serialize, Debug, Clone, JsonSchema)]
pub struct UnknownStance {
    /// The party.
    pub party: String,
    /// The issue.
    pub issue: String,
    /// The option.
    pub option: String,
}

/// The four bargaining solutions, each with all its tied outcomes; `None` (null) for one
/// whose step was cut short.
#[derive(Serialize, Debug, JsonSchema)]
pub struct SolutionsReport {
    /// Maximising the product of gains over the disagreement point.
    pub nash: Option<Vec<OutcomeReport>>,
    /// Kalai-Smorodinsky: the most even normalised gains.
    pub kalai: Option<Vec<OutcomeReport>>,
    /// Maximising the smallest gain.
    pub egalitarian: Option<Vec<OutcomeReport>>,
    /// Maximising the sum of utilities.
    pub utilitarian: Option<Vec<OutcomeReport>>,
}

/// The agreement zone.
#[derive(Serialize, Debug, JsonSchema)]
pub struct ZoneReport {
    /// Whether it has an outcome; `None` (null) when every step that decides it was cut
    /// short.
    pub exists: Option<bool>,
    /// How many outcomes it holds, when counted and at most `u64::MAX`.
    pub size: Option<u64>,
    /// How many outcomes it holds over the decisive issues (all but the indifferent ones),
    /// when counted: `size` is this times the product of the indifferent issues' option counts.
    pub decisive_size: Option<u64>,
    /// When not counted: how many outcomes cross no red line.
    #[serde(serialize_with = "optional_count")]
    #[schemars(schema_with = "optional_count_schema")]
    pub candidates_not_counted: Option<f64>,
    /// The analyst's figures (inferred or assumed) whether there is a zone rests on: the red
    /// lines, reservations and consent scopes of the negotiating parties.
    pub rests_on: Vec<RestsOnReport>,
}

/// One party's numbers, as the analysis uses them.
#[derive(Serialize, Debug, JsonSchema)]
pub struct PartyModelReport {
    /// What no deal is worth to the party.
    pub reservation: Option<f64>,
    /// Whether every number is exact (no ordinal level, nothing unknown).
    pub exact: bool,
    /// The point estimate of each issue's weight (they sum to 1).
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<f64>")]
    pub weights: Vec<(String, f64)>,
    /// The interval each weight can take.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<[f64; 2]>")]
    pub weight_intervals: Vec<(String, [f64; 2])>,
    /// Where each weight comes from: `exact`, `scale` or `unknown`.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<&'static str>")]
    pub weight_sources: Vec<(String, &'static str)>,
    /// The point estimate of each option's value.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<IssueValues>")]
    pub values: Vec<(String, IssueValues)>,
    /// The interval each option's value can take.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<IssueIntervals>")]
    pub value_intervals: Vec<(String, IssueIntervals)>,
    /// The options its red lines exclude, on the issues its consent is needed on.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<Vec<String>>")]
    pub red_lines: Vec<(String, Vec<String>)>,
}

/// Option values of one issue.
#[derive(Serialize, Debug, JsonSchema)]
pub struct IssueValues(
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<f64>")]
    pub Vec<(String, f64)>,
);

/// Option value intervals of one issue.
#[derive(Serialize, Debug, JsonSchema)]
pub struct IssueIntervals(
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<[f64; 2]>")]
    pub Vec<(String, [f64; 2])>,
);

/// The numbers behind every result.
#[derive(Serialize, Debug, JsonSchema)]
pub struct UtilityModelReport {
    /// How the numbers were made: point estimates are the middles of the scale's intervals.
    pub method: &'static str,
    /// Each negotiating party's numbers.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<PartyModelReport>")]
    pub parties: Vec<(String, PartyModelReport)>,
}

/// A concession that would help open an agreement zone.
#[derive(Serialize, Debug, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ConcessionReport {
    /// A party lifts its red lines on an issue.
    LiftRedLine {
        /// The party.
        party: String,
        /// The issue.
        issue: String,
        /// The basis of the position whose red lines these are.
        basis: &'static str,
    },
    /// A party stops insisting on its reservation value.
    DropReservation {
        /// The party.
        party: String,
        /// The basis of the reservation value.
        basis: &'static str,
    },
}

/// Why there is no deal; both lists are `None` (null) when the step was cut short.
#[derive(Serialize, Debug, JsonSchema)]
pub struct NoDealReport {
    /// The issues on which red lines leave no option every party allows, with those parties.
    pub issue_conflicts: Option<Vec<IssueConflictReport>>,
    /// Every smallest set of concessions that opens an agreement zone; `[[]]` when a zone exists,
    /// `[]` when no set of at most `max_concessions` does.
    pub minimal_concession_sets: Option<Vec<Vec<ConcessionReport>>>,
    /// The largest set size looked for.
    pub max_concessions: usize,
}

/// An issue whose red lines leave no commonly allowed option.
#[derive(Serialize, Debug, JsonSchema)]
pub struct IssueConflictReport {
    /// The issue.
    pub issue: String,
    /// The parties with red lines on it.
    pub parties: Vec<String>,
    /// The analyst's (inferred or assumed) red lines the conflict rests on.
    pub rests_on: Vec<RestsOnReport>,
}

/// One party's view of a draft.
#[derive(Serialize, Debug, JsonSchema)]
pub struct DraftPartyReport {
    /// The party.
    pub party: String,
    /// Its least and most utility over the draft's completions.
    pub utility_range: [f64; 2],
    /// The points it objects to.
    pub objections: Vec<String>,
    /// The points that cross its red lines.
    pub red_lines_crossed: Vec<String>,
    /// For each point of `red_lines_crossed` whose red line is the analyst's reading or
    /// assumption: the point and the basis (`inferred` or `assumed`) of the party's stances.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<&'static str>")]
    pub red_line_bases: Vec<(String, &'static str)>,
    /// Whether no completion is acceptable to it.
    pub rejects: bool,
}

/// A draft's evaluation.
#[derive(Serialize, Debug, JsonSchema)]
pub struct DraftEvaluationReport {
    /// The draft.
    pub draft: String,
    /// The issues it settles on one option.
    pub settled_issues: Vec<String>,
    /// The issues it leaves open or bracketed.
    pub open_issues: Vec<String>,
    /// Issues its points settle on different options.
    pub contradictions: Vec<String>,
    /// How many outcomes agree with it.
    #[serde(serialize_with = "count")]
    #[schemars(schema_with = "count_schema")]
    pub completions: f64,
    /// `accepted` (every completion in the zone), `depends-on-open-points`, or `rejected`.
    pub acceptance: &'static str,
    /// Distance in utility space from its best completions to the Pareto frontier; `None`
    /// (null) when the frontier's step was cut short.
    pub distance_to_frontier: Option<f64>,
    /// Each negotiating party's view.
    pub parties: Vec<DraftPartyReport>,
}

/// What the robustness samples show.
///
/// When no weight or value is an interval (`uncertain` false), nothing is sampled
/// (`samples` and `n_samples` 0) and every share is that of the one exact case: 0 or 1.
#[derive(Serialize, Debug, JsonSchema)]
pub struct RobustnessReport {
    /// Whether some weight or value is an interval, so that samples were drawn.
    pub uncertain: bool,
    /// How many samples were drawn (0 when nothing is uncertain).
    pub n_samples: usize,
    /// How many samples (the same as `n_samples`).
    pub samples: usize,
    /// Their seed.
    pub seed: u64,
    /// The share of samples with an agreement zone.
    pub zone_exists_share: f64,
    /// Per draft: the shares of samples in which every (`accepted`) or some (`possible`)
    /// completion is in the zone.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<DraftShares>")]
    pub drafts: Vec<(String, DraftShares)>,
    /// Per issue: the share of samples whose Nash package keeps the point-estimate Nash
    /// package's option (null on an indifferent issue); null without a Nash package.
    pub nash_stability: Option<IssueStability>,
    /// Per issue and option: the share of samples whose Nash package picks it; null on an
    /// issue held indifferent in the samples.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<Option<IssueShares>>")]
    pub nash_option_shares: Vec<(String, Option<IssueShares>)>,
}

/// Shares of samples for a draft.
#[derive(Serialize, Debug, JsonSchema)]
pub struct DraftShares {
    /// Every completion in the zone.
    pub accepted: f64,
    /// Some completion in the zone.
    pub possible: f64,
}

/// Shares keyed by option.
#[derive(Serialize, Debug, JsonSchema)]
pub struct IssueShares(
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<f64>")]
    pub Vec<(String, f64)>,
);

/// Shares keyed by issue; `None` (null) on an indifferent issue.
#[derive(Serialize, Debug, JsonSchema)]
pub struct IssueStability(
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<Option<f64>>")]
    pub Vec<(String, Option<f64>)>,
);

/// All analysis fields of the report.
#[derive(Serialize, Debug, JsonSchema)]
pub struct AnalysisReport {
    /// The number of outcomes.
    #[serde(serialize_with = "count")]
    #[schemars(schema_with = "count_schema")]
    pub outcomes: f64,
    /// The issues no negotiating party tells the options of apart (no position, zero weight,
    /// or the same value and red lines on every option): every outcome reported stands for
    /// any option on each of them, and shows null there.
    pub indifferent_issues: Vec<String>,
    /// Each party's disagreement point.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<f64>")]
    pub disagreement: Vec<(String, f64)>,
    /// Each party's best utility over all outcomes.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<f64>")]
    pub best: Vec<(String, f64)>,
    /// What explains a number a reader may not expect: the weight an unrecorded importance
    /// takes, a disagreement value that is not the party's reservation.
    pub notes: Vec<String>,
    /// The numbers behind every result.
    pub utility_model: UtilityModelReport,
    /// The agreement zone.
    pub agreement_zone: ZoneReport,
    /// The Pareto frontier of the zone, or the sample of it [`listed`] keeps when it has
    /// more outcomes than the report lists; `None` (null) when its step was cut short.
    pub pareto_frontier: Option<Vec<OutcomeReport>>,
    /// How many outcomes the zone's frontier has; `None` (null) when its step was cut short.
    pub pareto_frontier_size: Option<usize>,
    /// How many of the zone's frontier outcomes `pareto_frontier` leaves out (0 when it lists
    /// them all).
    pub pareto_frontier_omitted: usize,
    /// The Pareto frontier of all outcomes, or the sample of it [`listed`] keeps; `None`
    /// (null) when its step was cut short.
    pub unrestricted_pareto_frontier: Option<Vec<OutcomeReport>>,
    /// How many outcomes the frontier of all outcomes has; `None` (null) when its step was
    /// cut short.
    pub unrestricted_pareto_frontier_size: Option<usize>,
    /// How many of its outcomes `unrestricted_pareto_frontier` leaves out.
    pub unrestricted_pareto_frontier_omitted: usize,
    /// Which frontier outcomes are listed: `all`, or `evenly spaced by <party>`'s utility
    /// (see [`listed`]) when a frontier has more outcomes than the report lists.
    pub frontier_listing: String,
    /// The bargaining solutions.
    pub solutions: SolutionsReport,
    /// Why there is no deal.
    pub no_deal: NoDealReport,
    /// Each draft's evaluation; `None` (null) when the step was cut short.
    pub draft_evaluations: Option<Vec<DraftEvaluationReport>>,
    /// What the robustness samples show, when drawn (and not cut short).
    pub robustness: Option<RobustnessReport>,
    /// How the zone and the Nash package move when each inferred reading is read one step
    /// weaker, one at a time and then all at once; empty when nothing is inferred, null
    /// when its step was cut short (or does not apply).
    pub relaxations: Option<Vec<RelaxationReport>>,
    /// The steps that ran past their work budget, whose results are null; every other
    /// result is exact and complete.
    pub cut_short: Vec<CutShortReport>,
    /// Seconds each step took, when asked for.
    #[serde(serialize_with = "as_map", skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Map<f64>")]
    pub timings: Vec<(String, f64)>,
    /// How the frontier of all outcomes compares with a reference frontier that came with the
    /// scenario (GENIUS's `pareto.xml`), when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_frontier: Option<ReferenceFrontierReport>,
    /// For a scenario analysed by constraints (non-linear utilities): what the frontier's
    /// search found and proved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint_search: Option<ConstraintSearchReport>,
    /// For a scenario with continuous issues: the grid the results are exact on, and how far
    /// an outcome with any numbers can lie from it. Absent when every issue lists its
    /// options (the results are then exact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grid_approximation: Option<GridApproximationReport>,
}

/// One relaxation of the analyst's inferred readings and what follows from it.
#[derive(Serialize, Debug, JsonSchema)]
pub struct RelaxationReport {
    /// The fields relaxed, as paths in the scenario (as in `assumptions`).
    pub relaxed: Vec<String>,
    /// What was relaxed, as a sentence.
    pub what: String,
    /// Whether an agreement zone exists then.
    pub zone_exists: bool,
    /// How many outcomes it holds, when counted.
    pub zone_size: Option<u64>,
    /// The Nash packages then (all tied ones): each issue's option (null on an issue no party
    /// tells apart) and each negotiating party's utility.
    pub nash: Vec<RelaxedOutcomeReport>,
}

/// An outcome of a relaxed scenario.
#[derive(Serialize, Debug, JsonSchema)]
pub struct RelaxedOutcomeReport {
    /// The option of each issue.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<Option<String>>")]
    pub outcome: Vec<(String, Option<String>)>,
    /// Each negotiating party's utility (a party whose consent was relaxed away is absent).
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<f64>")]
    pub utilities: Vec<(String, f64)>,
}

/// The report of the relaxations.
fn relaxations_report(
    record: &Scenario,
    relaxations: &[parley_analysis::relax::Relaxation],
) -> Vec<RelaxationReport> {
    relaxations
        .iter()
        .map(|relaxation| RelaxationReport {
            relaxed: relaxation.paths.clone(),
            what: relaxation.what.clone(),
            zone_exists: relaxation.zone_exists,
            zone_size: relaxation.zone_size,
            nash: relaxation
                .nash
                .iter()
                .map(|(options, utilities)| RelaxedOutcomeReport {
                    outcome: record
                        .issues
                        .iter()
                        .zip(options)
                        .map(|(issue, option)| {
                            let option = option.map(|idx| issue.options[idx].id.to_string());
                            (issue.id.to_string(), option)
                        })
                        .collect(),
                    utilities: relaxation
                        .parties
                        .iter()
                        .map(ToString::to_string)
                        .zip(utilities.iter().copied())
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// The grid of a scenario's continuous issues.
#[derive(Serialize, Debug, JsonSchema)]
pub struct GridApproximationReport {
    /// Each continuous issue's grid.
    pub issues: Vec<GridIssueReport>,
    /// Per party: the most by which its utility of an outcome with any numbers differs from
    /// that of the outcome with the nearest grid numbers instead.
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<f64>")]
    pub max_utility_error: Vec<(String, f64)>,
    /// What that means, as a sentence.
    pub message: String,
}

/// The grid of one continuous issue.
#[derive(Serialize, Debug, JsonSchema)]
pub struct GridIssueReport {
    /// The issue's id.
    pub issue: String,
    /// The lowest number of its range.
    pub lower: f64,
    /// The highest number.
    pub upper: f64,
    /// How many evenly spaced numbers the analysis takes, both ends included.
    pub numbers: usize,
    /// The distance between neighbouring grid numbers.
    pub step: f64,
}

/// The report of a grid approximation, with parties in `parties`' order.
pub fn grid_approximation_report(
    record: &parley_model::scenario::Scenario,
    parties: &[String],
    grid: &parley_analysis::grid::GridApproximation,
) -> GridApproximationReport {
    let issues: Vec<GridIssueReport> = grid
        .issues
        .iter()
        .map(|issue| GridIssueReport {
            issue: record.issues[issue.issue_idx].id.to_string(),
            lower: issue.lower,
            upper: issue.upper,
            numbers: issue.numbers,
            step: issue.step(),
        })
        .collect();
    let described: Vec<String> = issues
        .iter()
        .map(|issue| {
            format!(
                "'{}' from {} to {} on {} numbers {} apart",
                issue.issue, issue.lower, issue.upper, issue.numbers, issue.step
            )
        })
        .collect();
    let errors: Vec<String> = parties
        .iter()
        .zip(&grid.max_utility_error)
        .map(|(party, error)| format!("{party} {error:.4}"))
        .collect();
    let message = format!(
        "An approximation: continuous issues are analysed on a grid ({}), and every result is exact on the grid. An outcome with numbers off the grid has one on it whose utility differs by at most: {} (--grid sets how many numbers).",
        described.join("; "),
        errors.join(", ")
    );
    GridApproximationReport {
        issues,
        max_utility_error: parties
            .iter()
            .cloned()
            .zip(grid.max_utility_error.iter().copied())
            .collect(),
        message,
    }
}

/// The frontier of all outcomes against a reference frontier's points.
#[derive(Serialize, Debug, JsonSchema)]
pub struct ReferenceFrontierReport {
    /// The file the points come from.
    pub file: String,
    /// How many points it lists.
    pub points: usize,
    /// Whether the comparison was made: not when the frontier of all outcomes was cut short.
    pub compared: bool,
    /// Whether it was made with the whole, exact frontier; `false` when with the points a
    /// search found before its budget ran out (constraint utilities).
    pub frontier_complete: bool,
    /// How many of its points are on the frontier (within 1e-6 in every utility).
    pub on_frontier: usize,
    /// How many a frontier point dominates.
    pub dominated: usize,
    /// The largest amount by which a dominated point falls short of the frontier point
    /// nearest to dominating it (see parley_analysis::reference).
    pub max_shortfall: Option<f64>,
    /// Its points that the frontier neither holds nor dominates: none, unless the frontier
    /// or the reference is wrong.
    pub undominated: Vec<UtilityPoint>,
    /// What the comparison says, as a sentence.
    pub message: String,
}

/// A party's utility for each party.
#[derive(Serialize, Debug, JsonSchema)]
pub struct UtilityPoint(
    #[serde(serialize_with = "as_map")]
    #[schemars(with = "Map<f64>")]
    pub Vec<(String, f64)>,
);

/// Compares the analysis's frontier of all outcomes with reference points, each with one
/// utility per negotiating party in the analysis's party order.
pub fn reference_frontier(
    analysis: &Analysis,
    file: &str,
    points: &[Vec<f64>],
) -> ReferenceFrontierReport {
    let parties: Vec<String> =
        analysis.parties.iter().map(|party| party.party.to_string()).collect();
    let frontier = analysis.unrestricted_frontier.as_ref().map(|frontier| {
        frontier.iter().map(|(_, utilities)| utilities.to_vec()).collect::<Vec<Vec<f64>>>()
    });
    compare_reference(&parties, frontier.as_deref(), true, file, points)
}

/// Compares frontier points (`None` when the frontier was not computed) with reference
/// points; `complete` says whether the frontier is the whole frontier or only the points a
/// search found before its budget ran out.
pub fn compare_reference(
    parties: &[String],
    frontier: Option<&[Vec<f64>]>,
    complete: bool,
    file: &str,
    points: &[Vec<f64>],
) -> ReferenceFrontierReport {
    let Some(frontier_points) = frontier else {
        return ReferenceFrontierReport {
            file: file.to_owned(),
            points: points.len(),
            compared: false,
            frontier_complete: complete,
            on_frontier: 0,
            dominated: 0,
            max_shortfall: None,
            undominated: Vec::new(),
            message: "not compared: the frontier of all outcomes was cut short".to_owned(),
        };
    };
    let comparison = parley_analysis::reference::compare_with_reference(frontier_points, points);
    let frontier_name = if complete {
        "Parley's exact frontier"
    } else {
        "the frontier points Parley found before its budget ran out (not the whole frontier)"
    };
    let message = if comparison.undominated.is_empty() {
        format!(
            "every one of its {} points is on {frontier_name} ({}) or dominated by a point of it ({})",
            comparison.n_points, comparison.on_frontier, comparison.dominated
        )
    } else if complete {
        format!(
            "{} of its {} points are neither on Parley's frontier nor dominated by it: the frontier or the reference is wrong",
            comparison.undominated.len(),
            comparison.n_points
        )
    } else {
        format!(
            "{} of its {} points are neither on nor dominated by {frontier_name}: the search did not reach them",
            comparison.undominated.len(),
            comparison.n_points
        )
    };
    ReferenceFrontierReport {
        file: file.to_owned(),
        points: comparison.n_points,
        compared: true,
        frontier_complete: complete,
        on_frontier: comparison.on_frontier,
        dominated: comparison.dominated,
        max_shortfall: comparison.max_shortfall,
        undominated: comparison
            .undominated
            .iter()
            .map(|point| UtilityPoint(parties.iter().cloned().zip(point.iter().copied()).collect()))
            .collect(),
        message,
    }
}

/// What the search of a constraint (non-linear) space found and proved.
#[derive(Serialize, Debug, JsonSchema)]
pub struct ConstraintSearchReport {
    /// Whether the frontier is complete and exact; when not, its points were found but not
    /// proven Pareto-optimal, and `missing_bounds` bound what may be missing.
    pub complete: bool,
    /// The frontier points found.
    pub points: usize,
    /// When incomplete: utility vectors such that every Pareto-optimal outcome not found is
    /// weakly below one of them.
    pub missing_bounds: Vec<UtilityPoint>,
    /// The engine steps the search took.
    pub steps: u64,
    /// The issues no constraint of any party mentions: any option.
    pub free_issues: Vec<String>,
    /// The parts of the analysis that do not apply to constraint utilities.
    pub not_applicable: Vec<&'static str>,
    /// What the search says, as a sentence.
    pub message: String,
}

/// The analysis fields of the report for a scenario analysed by constraints.
pub fn build_constraints(
    record: &Scenario,
    analysis: &parley_analysis::constraints::ConstraintAnalysis,
    max_concessions: usize,
) -> AnalysisReport {
    use parley_engine::rectangles::ZoneVerdict;

    let parties: Vec<String> = analysis.parties.iter().map(ToString::to_string).collect();
    let per_party = |values: &[f64]| -> Vec<(String, f64)> {
        parties.iter().cloned().zip(values.iter().copied()).collect()
    };
    let frontier = &analysis.frontier;
    let free: std::collections::HashSet<usize> = frontier.free_issues.iter().copied().collect();
    let outcome = |point: &parley_engine::rectangles::RectanglePoint| OutcomeReport {
        outcome: record
            .issues
            .iter()
            .enumerate()
            .map(|(issue_idx, issue)| {
                let option = (!free.contains(&issue_idx))
                    .then(|| issue.options[usize::from(point.outcome[issue_idx])].id.to_string());
                (issue.id.to_string(), option)
            })
            .collect(),
        utilities: per_party(&point.utilities),
        unknown_stances: Vec::new(),
        rests_on: Vec::new(),
    };
    let all: Vec<OutcomeReport> = frontier.points.iter().map(outcome).collect();
    let zone_points: Vec<OutcomeReport> = frontier
        .points
        .iter()
        .filter(|point| analysis.space.meets_reservations(&point.utilities))
        .map(outcome)
        .collect();
    let solutions = analysis.solutions.as_ref();
    let package = |pick: fn(
        &parley_engine::rectangles::RectangleSolutions,
    ) -> &Vec<parley_engine::rectangles::RectanglePoint>| {
        solutions.map(|solutions| pick(solutions).iter().map(outcome).collect())
    };
    let mut cut_short: Vec<CutShortReport> =
        analysis.cut_short.iter().map(cut_short_report).collect();
    for cut in &mut cut_short {
        if cut.step == "frontier" {
            cut.message = format!(
                "ran past its budget: the {} frontier points shown were found but not proven, and the zone and packages rest on them",
                frontier.points.len()
            );
        }
    }
    let free_issues: Vec<String> = frontier
        .free_issues
        .iter()
        .map(|&issue_idx| record.issues[issue_idx].id.to_string())
        .collect();
    let message = if frontier.complete {
        format!(
            "exact: the whole Pareto frontier of {} outcomes, {} points, found by branch and bound in {} steps",
            count_text(analysis.space.n_outcomes()),
            frontier.points.len(),
            frontier.steps
        )
    } else {
        format!(
            "incomplete: the search ran past its budget after {} steps; {} points found (not proven Pareto-optimal); every missing frontier point lies below one of the {} bounds listed",
            frontier.steps,
            frontier.points.len(),
            frontier.missing_bounds.len()
        )
    };
    let mut report = AnalysisReport {
        notes: Vec::new(),
        outcomes: analysis.space.n_outcomes(),
        indifferent_issues: free_issues.clone(),
        disagreement: solutions
            .map(|solutions| per_party(&solutions.disagreement))
            .unwrap_or_default(),
        best: solutions.map(|solutions| per_party(&solutions.best)).unwrap_or_default(),
        utility_model: UtilityModelReport {
            method: "constraint utilities: each party's utility is the sum of the values of the constraints an outcome satisfies, divided by its maximum utility and capped at 1 (GENIUS's non-linear utility); exact",
            parties: parties
                .iter()
                .zip(analysis.space.parties())
                .map(|(party, rectangle_party)| {
                    (
                        party.clone(),
                        PartyModelReport {
                            reservation: rectangle_party.reservation,
                            exact: true,
                            weights: Vec::new(),
                            weight_intervals: Vec::new(),
                            weight_sources: Vec::new(),
                            values: Vec::new(),
                            value_intervals: Vec::new(),
                            red_lines: Vec::new(),
                        },
                    )
                })
                .collect(),
        },
        agreement_zone: ZoneReport {
            exists: match analysis.zone {
                ZoneVerdict::Exists(_) => Some(true),
                ZoneVerdict::Empty => Some(false),
                ZoneVerdict::Unknown => None,
            },
            size: None,
            decisive_size: None,
            candidates_not_counted: None,
            rests_on: Vec::new(),
        },
        pareto_frontier_size: Some(zone_points.len()),
        pareto_frontier_omitted: 0,
        pareto_frontier: Some(zone_points),
        unrestricted_pareto_frontier_size: Some(all.len()),
        unrestricted_pareto_frontier_omitted: 0,
        unrestricted_pareto_frontier: Some(all),
        frontier_listing: "all".to_owned(),
        solutions: SolutionsReport {
            nash: package(|solutions| &solutions.nash),
            kalai: package(|solutions| &solutions.kalai_smorodinsky),
            egalitarian: package(|solutions| &solutions.egalitarian),
            utilitarian: package(|solutions| &solutions.utilitarian),
        },
        no_deal: NoDealReport {
            issue_conflicts: None,
            minimal_concession_sets: None,
            max_concessions,
        },
        draft_evaluations: None,
        robustness: None,
        relaxations: None,
        cut_short,
        timings: Vec::new(),
        reference_frontier: None,
        grid_approximation: None,
        constraint_search: Some(ConstraintSearchReport {
            complete: frontier.complete,
            points: frontier.points.len(),
            missing_bounds: frontier
                .missing_bounds
                .iter()
                .map(|bound| UtilityPoint(per_party(bound)))
                .collect(),
            steps: frontier.steps,
            free_issues,
            not_applicable: vec!["zone_size", "no_deal", "draft_evaluations", "robustness"],
            message,
        }),
    };
    report.notes = notes(record, &report.utility_model, &report.disagreement);
    report
}

fn count_text(count: f64) -> String {
    if count < 1e15 { format!("{count:.0}") } else { format!("{count:.3e}") }
}

/// A step that ran past its work budget.
#[derive(Serialize, Debug, JsonSchema)]
pub struct CutShortReport {
    /// The step, as in `timings`.
    pub step: String,
    /// The limit it ran into: `steps`, `memory` or `time`.
    pub limit: &'static str,
    /// The engine steps it had taken.
    pub steps: u64,
    /// What happened, as a sentence.
    pub message: String,
}

impl AnalysisReport {
    /// Whether a step was cut short, and how.
    pub fn cut_short(&self, step: &str) -> Option<&CutShortReport> {
        self.cut_short.iter().find(|cut| cut.step == step)
    }
}

fn cut_short_report(cut: &parley_analysis::CutShort) -> CutShortReport {
    let limit = match cut.exceeded {
        Exceeded::Steps { .. } => "steps",
        Exceeded::Memory { .. } => "memory",
        Exceeded::Time => "time",
    };
    CutShortReport {
        step: cut.step.to_owned(),
        limit,
        steps: cut.steps,
        message: format!("ran past {} after {} steps", cut.exceeded, cut.steps),
    }
}

fn provenance(provenance: Provenance) -> &'static str {
    match provenance {
        Provenance::Exact => "exact",
        Provenance::Scale => "scale",
        Provenance::Unknown => "unknown",
    }
}

struct Names<'a> {
    record: &'a Scenario,
    parties: Vec<String>,
    analysis: &'a Analysis,
}

impl Names<'_> {
    fn issue(&self, issue_idx: usize) -> String {
        self.record.issues[issue_idx].id.to_string()
    }

    fn option(&self, issue_idx: usize, option_idx: usize) -> String {
        self.record.issues[issue_idx].options[option_idx].id.to_string()
    }

    fn is_indifferent(&self, issue_idx: usize) -> bool {
        self.analysis.indifferent_issues.binary_search(&issue_idx).is_ok()
    }

    fn outcome(&self, outcome: &[u16], utilities: &[f64]) -> OutcomeReport {
        OutcomeReport {
            outcome: outcome
                .iter()
                .enumerate()
                .map(|(issue_idx, &option_idx)| {
                    let option = (!self.is_indifferent(issue_idx))
                        .then(|| self.option(issue_idx, usize::from(option_idx)));
                    (self.issue(issue_idx), option)
                })
                .collect(),
            utilities: self.parties.iter().cloned().zip(utilities.iter().copied()).collect(),
            unknown_stances: self
                .analysis
                .parties
                .iter()
                .flat_map(|party| {
                    outcome.iter().enumerate().filter_map(move |(issue_idx, &option_idx)| {
                        let option_idx = usize::from(option_idx);
                        // Any option of an indifferent issue does as well: nothing rests on it.
                        (party.value_provenance[issue_idx][option_idx] == Provenance::Unknown
                            && !self.is_indifferent(issue_idx))
                        .then(|| UnknownStance {
                            party: party.party.to_string(),
                            issue: self.issue(issue_idx),
                            option: self.option(issue_idx, option_idx),
                        })
                    })
                })
                .collect(),
            rests_on: Vec::new(),
        }
    }

    /// The analyst's figures an outcome's utilities rest on, party by party: the reservation
    /// and consent scope, then each decisive issue's importance and the stance on the
    /// outcome's option.
    fn rests_on(&self, outcome: &[u16]) -> Vec<RestsOnReport> {
        let mut found = Vec::new();
        for party in &self.analysis.parties {
            self.party_figures(party, &mut found);
            for (issue_idx, &option_idx) in outcome.iter().enumerate() {
                let option_idx = usize::from(option_idx);
                // An unrecorded stance is listed as unknown, not as the analyst's.
                let stance = if party.value_provenance[issue_idx][option_idx] == Provenance::Unknown
                {
                    StanceFigure::Left
                } else {
                    StanceFigure::Option(option_idx)
                };
                self.issue_figures(party, issue_idx, stance, &mut found);
            }
        }
        found
    }

    /// A party's importance of a decisive issue and the stance figure asked for, when they
    /// are the analyst's.
    fn issue_figures(
        &self,
        party: &PartyUtilities,
        issue_idx: usize,
        stance: StanceFigure,
        found: &mut Vec<RestsOnReport>,
    ) {
        let Some(source) = party.sources[issue_idx] else { return };
        if self.is_indifferent(issue_idx) {
            return;
        }
        if let Some(basis) = source.importance.filter(|basis| basis.is_analysts()) {
            found.push(RestsOnReport {
                figure: "importance",
                party: party.party.to_string(),
                issue: Some(self.issue(issue_idx)),
                option: None,
                basis: basis.as_str(),
                path: format!("positions[{}].importance", source.position_idx),
            });
        }
        let option = match stance {
            StanceFigure::Left => return,
            StanceFigure::Issue => None,
            StanceFigure::Option(option_idx) => Some(self.option(issue_idx, option_idx)),
        };
        if source.stances.is_analysts() {
            found.push(RestsOnReport {
                figure: "stance",
                party: party.party.to_string(),
                issue: Some(self.issue(issue_idx)),
                option,
                basis: source.stances.as_str(),
                path: format!("positions[{}]", source.position_idx),
            });
        }
    }

    /// A party's reservation and consent scope, when they are the analyst's.
    fn party_figures(&self, party: &PartyUtilities, found: &mut Vec<RestsOnReport>) {
        let party_id = party.party.to_string();
        if let Some(basis) = party.reservation_basis
            && basis.is_analysts()
        {
            found.push(RestsOnReport {
                figure: "reservation",
                party: party_id.clone(),
                issue: None,
                option: None,
                basis: basis.as_str(),
                path: format!("parties[{}].reservation", party.party_idx),
            });
        }
        if party.consent_basis.is_analysts() {
            found.push(RestsOnReport {
                figure: "consent",
                party: party_id,
                issue: None,
                option: None,
                basis: party.consent_basis.as_str(),
                path: format!("parties[{}].consent", party.party_idx),
            });
        }
    }

    /// The analyst's figures whether there is a zone rests on: each party's reservation and
    /// consent scope, and its red lines; and, for a party with a reservation (which every
    /// zone outcome must reach), the importance and the stances of each decisive issue, on
    /// which its utilities, and so which outcomes reach it, depend.
    fn zone_rests_on(&self) -> Vec<RestsOnReport> {
        let mut found = Vec::new();
        for party in &self.analysis.parties {
            self.party_figures(party, &mut found);
            for issue_idx in 0..party.red_lines.len() {
                if party.reservation.is_some() {
                    self.issue_figures(party, issue_idx, StanceFigure::Issue, &mut found);
                }
                self.red_line_figures(party, issue_idx, &mut found);
            }
        }
        found
    }

    /// A party's red lines on an issue, when they are the analyst's.
    fn red_line_figures(
        &self,
        party: &PartyUtilities,
        issue_idx: usize,
        found: &mut Vec<RestsOnReport>,
    ) {
        let Some(source) = party.sources[issue_idx] else { return };
        if !source.stances.is_analysts() {
            return;
        }
        for (option_idx, _) in
            party.red_lines[issue_idx].iter().enumerate().filter(|(_, red)| **red)
        {
            found.push(RestsOnReport {
                figure: "red-line",
                party: party.party.to_string(),
                issue: Some(self.issue(issue_idx)),
                option: Some(self.option(issue_idx, option_idx)),
                basis: source.stances.as_str(),
                path: format!("positions[{}]", source.position_idx),
            });
        }
    }

    /// The analyst's red lines a conflict over one issue rests on.
    fn conflict_rests_on(&self, issue_idx: usize, party_idxs: &[usize]) -> Vec<RestsOnReport> {
        let mut found = Vec::new();
        for &party_idx in party_idxs {
            self.red_line_figures(&self.analysis.parties[party_idx], issue_idx, &mut found);
        }
        found
    }

    /// The basis of a party's position on an issue (`reported` without one).
    fn stance_basis(&self, party_idx: usize, issue_idx: usize) -> &'static str {
        self.analysis.parties[party_idx].sources[issue_idx]
            .map_or(Basis::Reported, |source| source.stances)
            .as_str()
    }

    /// The basis of a party's reservation value.
    fn reservation_basis(&self, party_idx: usize) -> &'static str {
        self.analysis.parties[party_idx].reservation_basis.unwrap_or(Basis::Assumed).as_str()
    }

    fn listed(&self, set: &OutcomeSet, max_points: Option<usize>) -> Vec<OutcomeReport> {
        listed(set, max_points)
            .into_iter()
            .map(|outcome_idx| self.outcome(set.outcome(outcome_idx), set.utilities(outcome_idx)))
            .collect()
    }

    /// The outcomes of a package, each with the analyst's figures it rests on.
    fn package(&self, set: &OutcomeSet) -> Vec<OutcomeReport> {
        set.iter()
            .map(|(outcome, utilities)| OutcomeReport {
                rests_on: self.rests_on(outcome),
                ..self.outcome(outcome, utilities)
            })
            .collect()
    }

    fn per_party(&self, values: &[f64]) -> Vec<(String, f64)> {
        self.parties.iter().cloned().zip(values.iter().copied()).collect()
    }
}

/// Notes on the numbers a reader may not expect: the weight an importance no position
/// records takes, and each disagreement value that is not the party's reservation.
fn notes(
    record: &Scenario,
    utility_model: &UtilityModelReport,
    disagreement: &[(String, f64)],
) -> Vec<String> {
    let mut notes = Vec::new();
    let unrecorded: Vec<&str> = utility_model
        .parties
        .iter()
        .filter(|(_, model)| model.weight_sources.iter().any(|(_, source)| *source == "unknown"))
        .map(|(party, _)| party.as_str())
        .collect();
    if !unrecorded.is_empty() {
        let scale = &record.scale;
        let unknown = scale.unknown_importance;
        let levels: Vec<String> = ImportanceLevel::ALL
            .iter()
            .map(|&level| {
                format!("{} {}", level.as_str(), number(scale.importance(level).middle()))
            })
            .collect();
        notes.push(format!(
            "an issue whose importance to a party is not recorded (marked ?; {}) takes the scale's unknown raw weight [{}, {}], point estimate {}, against {} for the recorded levels{}",
            unrecorded.join(", "),
            number(unknown.low),
            number(unknown.high),
            number(unknown.middle()),
            levels.join(", "),
            if *scale == Scale::default() {
                ": the scale's two middle levels, so it neither outweighs every recorded issue nor weighs less than every one"
            } else {
                ""
            }
        ));
    }
    for (party, model) in &utility_model.parties {
        let Some((_, value)) = disagreement.iter().find(|(name, _)| name == party) else {
            continue;
        };
        match model.reservation {
            None => notes.push(format!(
                "{party} has no recorded reservation: its disagreement value is its lowest utility over all outcomes, {value:.3}"
            )),
            Some(reservation) if reservation < *value => notes.push(format!(
                "{party}'s reservation {} is below its lowest utility over all outcomes, {value:.3}: every outcome is worth more to it than no deal, so its disagreement value is that lowest utility",
                number(reservation)
            )),
            Some(reservation) if reservation > *value => notes.push(format!(
                "{party}'s reservation {} is above its disagreement value {value:.3}",
                number(reservation)
            )),
            Some(_) => {}
        }
    }
    notes
}

/// A number as short as it reads exactly: `5`, `0.35`.
fn number(value: f64) -> String {
    format!("{value}")
}

/// The analysis fields of the report, with every frontier outcome listed.
pub fn build(record: &Scenario, analysis: &Analysis, max_concessions: usize) -> AnalysisReport {
    build_listing(record, analysis, max_concessions, None)
}

/// The positions, in `set`, of the frontier outcomes a report that lists at most
/// `max_points` of a frontier shows (`None`: no limit).
///
/// A frontier that fits is listed whole, in outcome order. A larger one is sampled: the
/// frontier is sorted by the first party's utility (ties by outcome, so the sample does not
/// depend on anything else), and the outcomes at `max_points` evenly spaced ranks are kept,
/// from the least to the most of that utility, both ends included. Two parties' frontier is
/// a curve along which one party's utility rises as the other's falls, so the sample is
/// evenly spread along it.
pub fn listed(set: &OutcomeSet, max_points: Option<usize>) -> Vec<usize> {
    let n_outcomes = set.len();
    let Some(max_points) = max_points.filter(|&max_points| max_points < n_outcomes) else {
        return (0..n_outcomes).collect();
    };
    let mut order: Vec<usize> = (0..n_outcomes).collect();
    // The set is sorted by outcome, so a stable sort by utility breaks ties by outcome.
    order.sort_by(|&a, &b| set.utilities(a)[0].total_cmp(&set.utilities(b)[0]));
    match max_points {
        0 => Vec::new(),
        1 => vec![order[0]],
        _ => {
            (0..max_points).map(|slot| order[slot * (n_outcomes - 1) / (max_points - 1)]).collect()
        }
    }
}

/// The analysis fields of the report, each frontier listed whole when it has at most
/// `max_points` outcomes, else sampled as [`listed`] says (`None`: always whole). Only the
/// outcomes listed are turned into names, so the report's size follows what it lists.
pub fn build_listing(
    record: &Scenario,
    analysis: &Analysis,
    max_concessions: usize,
    max_points: Option<usize>,
) -> AnalysisReport {
    let omitted = |set: Option<&OutcomeSet>| {
        set.map_or(0, |set| set.len().saturating_sub(max_points.unwrap_or(usize::MAX)))
    };
    let names = Names {
        record,
        parties: analysis.parties.iter().map(|party| party.party.to_string()).collect(),
        analysis,
    };
    let space = &analysis.space;
    let utility_model = UtilityModelReport {
        method: "weights and values are exact where the scenario records numbers; ordinal stances and importances take the middle of the scale's interval (unknown ones the scale's unknown interval), and each party's raw weights are normalised to sum to 1",
        parties: analysis
            .parties
            .iter()
            .map(|party| {
                let issue_ids = record.issues.iter().map(|issue| issue.id.to_string());
                let values = party.point_values();
                let report = PartyModelReport {
                    reservation: party.reservation,
                    exact: party.is_exact(),
                    weights: issue_ids.clone().zip(party.point_weights()).collect(),
                    weight_intervals: issue_ids
                        .clone()
                        .zip(party.weight_intervals())
                        .map(|(issue, interval)| (issue, [interval.low, interval.high]))
                        .collect(),
                    weight_sources: issue_ids
                        .clone()
                        .zip(party.weight_provenance.iter().map(|source| provenance(*source)))
                        .collect(),
                    values: record
                        .issues
                        .iter()
                        .zip(&values)
                        .map(|(issue, values)| {
                            let options = issue.options.iter().map(|option| option.id.to_string());
                            (
                                issue.id.to_string(),
                                IssueValues(options.zip(values.iter().copied()).collect()),
                            )
                        })
                        .collect(),
                    value_intervals: record
                        .issues
                        .iter()
                        .zip(&party.values)
                        .map(|(issue, intervals)| {
                            let options = issue.options.iter().map(|option| option.id.to_string());
                            let intervals =
                                intervals.iter().map(|interval| [interval.low, interval.high]);
                            (issue.id.to_string(), IssueIntervals(options.zip(intervals).collect()))
                        })
                        .collect(),
                    red_lines: record
                        .issues
                        .iter()
                        .zip(&party.red_lines)
                        .filter(|(_, red_lines)| red_lines.iter().any(|red_line| *red_line))
                        .map(|(issue, red_lines)| {
                            let options = issue
                                .options
                                .iter()
                                .zip(red_lines)
                                .filter(|(_, red_line)| **red_line)
                                .map(|(option, _)| option.id.to_string())
                                .collect();
                            (issue.id.to_string(), options)
                        })
                        .collect(),
                };
                (party.party.to_string(), report)
            })
            .collect(),
    };
    // How many outcomes each outcome of the results stands for, when that fits.
    let per_result = analysis.indifferent_issues.iter().try_fold(1u64, |product, &issue_idx| {
        product.checked_mul(record.issues[issue_idx].options.len() as u64)
    });
    let (size, decisive_size, candidates_not_counted) = match analysis.zone_size {
        Some(ZoneSize::Counted(decisive)) => {
            (per_result.and_then(|factor| factor.checked_mul(decisive)), Some(decisive), None)
        }
        Some(ZoneSize::NotCounted { n_candidates }) => {
            let factor = indifferent_factor(record, &analysis.indifferent_issues);
            (None, None, Some(n_candidates * factor))
        }
        None => (None, None, None),
    };
    let concession = |concession: &Concession| match *concession {
        Concession::LiftRedLine { party_idx, issue_idx } => ConcessionReport::LiftRedLine {
            party: names.parties[party_idx].clone(),
            issue: names.issue(issue_idx),
            basis: names.stance_basis(party_idx, issue_idx),
        },
        Concession::DropReservation { party_idx } => ConcessionReport::DropReservation {
            party: names.parties[party_idx].clone(),
            basis: names.reservation_basis(party_idx),
        },
    };
    AnalysisReport {
        outcomes: space.n_outcomes() * indifferent_factor(record, &analysis.indifferent_issues),
        indifferent_issues: analysis
            .indifferent_issues
            .iter()
            .map(|&issue_idx| names.issue(issue_idx))
            .collect(),
        disagreement: names.per_party(space.disagreement()),
        best: names.per_party(space.best()),
        notes: notes(record, &utility_model, &names.per_party(space.disagreement())),
        utility_model,
        agreement_zone: ZoneReport {
            exists: analysis.zone_exists,
            size,
            decisive_size,
            candidates_not_counted,
            rests_on: names.zone_rests_on(),
        },
        pareto_frontier: analysis.frontier.as_ref().map(|set| names.listed(set, max_points)),
        pareto_frontier_size: analysis.frontier.as_ref().map(OutcomeSet::len),
        pareto_frontier_omitted: omitted(analysis.frontier.as_ref()),
        unrestricted_pareto_frontier: analysis
            .unrestricted_frontier
            .as_ref()
            .map(|set| names.listed(set, max_points)),
        unrestricted_pareto_frontier_size: analysis
            .unrestricted_frontier
            .as_ref()
            .map(OutcomeSet::len),
        unrestricted_pareto_frontier_omitted: omitted(analysis.unrestricted_frontier.as_ref()),
        frontier_listing: if omitted(analysis.frontier.as_ref())
            + omitted(analysis.unrestricted_frontier.as_ref())
            == 0
        {
            "all".to_owned()
        } else {
            format!(
                "evenly spaced by {}'s utility",
                names.parties.first().map_or("", String::as_str)
            )
        },
        solutions: SolutionsReport {
            nash: analysis.solutions.nash.as_ref().map(|set| names.package(set)),
            kalai: analysis.solutions.kalai_smorodinsky.as_ref().map(|set| names.package(set)),
            egalitarian: analysis.solutions.egalitarian.as_ref().map(|set| names.package(set)),
            utilitarian: analysis.solutions.utilitarian.as_ref().map(|set| names.package(set)),
        },
        no_deal: NoDealReport {
            issue_conflicts: analysis.blocking.as_ref().map(|blocking| {
                blocking
                    .issue_conflicts
                    .iter()
                    .map(|conflict| IssueConflictReport {
                        issue: names.issue(conflict.issue_idx),
                        parties: conflict
                            .party_idxs
                            .iter()
                            .map(|&party_idx| names.parties[party_idx].clone())
                            .collect(),
                        rests_on: names.conflict_rests_on(conflict.issue_idx, &conflict.party_idxs),
                    })
                    .collect()
            }),
            minimal_concession_sets: analysis.blocking.as_ref().map(|blocking| {
                blocking
                    .minimal_concession_sets
                    .iter()
                    .map(|set| set.iter().map(concession).collect())
                    .collect()
            }),
            max_concessions,
        },
        draft_evaluations: analysis.drafts.as_ref().map(|evaluations| {
            record
                .drafts
                .iter()
                .zip(evaluations)
                .map(|(draft, evaluation)| draft_report(&names, draft, evaluation))
                .collect()
        }),
        relaxations: analysis
            .relaxations
            .as_ref()
            .map(|relaxations| relaxations_report(record, relaxations)),
        cut_short: analysis.cut_short.iter().map(cut_short_report).collect(),
        reference_frontier: None,
        constraint_search: None,
        grid_approximation: analysis
            .grid
            .as_ref()
            .map(|grid| grid_approximation_report(record, &names.parties, grid)),
        robustness: analysis.robustness.as_ref().map(|robustness| RobustnessReport {
            uncertain: robustness.uncertain,
            n_samples: robustness.n_samples,
            samples: robustness.n_samples,
            seed: robustness.seed,
            zone_exists_share: robustness.n_with_zone as f64 / robustness.n_cases() as f64,
            drafts: record
                .drafts
                .iter()
                .enumerate()
                .map(|(draft_idx, draft)| {
                    let share = |count: usize| count as f64 / robustness.n_cases() as f64;
                    let shares = DraftShares {
                        accepted: share(robustness.n_draft_accepted[draft_idx]),
                        possible: share(robustness.n_draft_possible[draft_idx]),
                    };
                    (draft.id.to_string(), shares)
                })
                .collect(),
            nash_stability: robustness.nash_stability.as_ref().map(|stability| {
                IssueStability(
                    (0..stability.len())
                        .map(|issue_idx| {
                            let share =
                                (!names.is_indifferent(issue_idx)).then_some(stability[issue_idx]);
                            (names.issue(issue_idx), share)
                        })
                        .collect(),
                )
            }),
            nash_option_shares: robustness
                .nash_option_shares
                .iter()
                .enumerate()
                .map(|(issue_idx, shares)| {
                    let options = (0..shares.len()).map(|option_idx| {
                        (names.option(issue_idx, option_idx), shares[option_idx])
                    });
                    let held = robustness.held_indifferent.binary_search(&issue_idx).is_ok();
                    let shares = (!held).then(|| IssueShares(options.collect()));
                    (names.issue(issue_idx), shares)
                })
                .collect(),
        }),
        timings: analysis
            .timings
            .iter()
            .map(|(step, duration)| ((*step).to_owned(), duration.as_secs_f64()))
            .collect(),
    }
}

/// The product of the indifferent issues' option counts, as a float.
fn indifferent_factor(record: &Scenario, indifferent: &[usize]) -> f64 {
    indifferent.iter().map(|&issue_idx| record.issues[issue_idx].options.len() as f64).product()
}

fn draft_report(
    names: &Names<'_>,
    draft: &parley_model::scenario::Draft,
    evaluation: &DraftEvaluation,
) -> DraftEvaluationReport {
    let settled_issues = (0..evaluation.allowed_options.len())
        .filter(|&issue_idx| {
            evaluation.allowed_options[issue_idx].len() == 1
                && names.record.issues[issue_idx].options.len() > 1
        })
        .map(|issue_idx| names.issue(issue_idx))
        .collect();
    let open_issues = (0..evaluation.allowed_options.len())
        .filter(|&issue_idx| evaluation.allowed_options[issue_idx].len() > 1)
        .map(|issue_idx| names.issue(issue_idx))
        .collect();
    let point_id = |point_idx: usize| draft.points[point_idx].id.to_string();
    DraftEvaluationReport {
        draft: draft.id.to_string(),
        settled_issues,
        open_issues,
        contradictions: evaluation
            .contradictions
            .iter()
            .map(|&issue_idx| names.issue(issue_idx))
            .collect(),
        completions: evaluation.n_completions,
        acceptance: evaluation.acceptance.as_str(),
        distance_to_frontier: evaluation.distance_to_frontier,
        parties: names
            .parties
            .iter()
            .zip(&evaluation.parties)
            .enumerate()
            .map(|(party_idx, (party, view))| DraftPartyReport {
                party: party.clone(),
                utility_range: [view.utility_range.0, view.utility_range.1],
                objections: view
                    .objections
                    .iter()
                    .map(|objection| point_id(objection.point_idx))
                    .collect(),
                red_lines_crossed: view
                    .objections
                    .iter()
                    .filter(|objection| objection.red_line)
                    .map(|objection| point_id(objection.point_idx))
                    .collect(),
                red_line_bases: view
                    .objections
                    .iter()
                    .filter(|objection| objection.red_line)
                    .filter_map(|objection| {
                        let point = &draft.points[objection.point_idx];
                        let issue = point.issue.as_ref()?;
                        let issue_idx = names
                            .record
                            .issues
                            .iter()
                            .position(|candidate| &candidate.id == issue)?;
                        let basis = names.stance_basis(party_idx, issue_idx);
                        crate::schema::is_analysts(basis)
                            .then(|| (point_id(objection.point_idx), basis))
                    })
                    .collect(),
                rejects: view.rejects,
            })
            .collect(),
    }
}
