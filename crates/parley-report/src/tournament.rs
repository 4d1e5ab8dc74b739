//! A tournament's results as a report: the runs, named by scenario, party, issue and option,
//! and the aggregates per strategy and per profile. The caller fills it from the simulation's
//! results; [`csv`] writes it as a tidy table (one row per run, one column per party's
//! strategy and utility, one per issue's agreed option) and [`crate::html::tournament`] as a
//! page.

/// A scenario of a tournament, with the names its runs are reported by.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentScenario {
    /// The file or folder it was read from.
    pub file: String,
    /// The scenario's id.
    pub id: String,
    /// The negotiating parties' ids, in the order of [`TournamentRun::utilities`].
    pub parties: Vec<String>,
    /// The issues' ids, in the order of [`TournamentRun::agreement`].
    pub issues: Vec<String>,
}

/// One run of a tournament.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentRun {
    /// The scenario, as an index into [`TournamentReport::scenarios`].
    pub scenario_idx: usize,
    /// The protocol's name.
    pub protocol: String,
    /// The mediator's strategy, for a mediated protocol.
    pub mediator: Option<String>,
    /// The profile's label, as [`TournamentReport::by_profile`] names it.
    pub profile: String,
    /// Each party's strategy, in the scenario's party order.
    pub strategies: Vec<String>,
    /// The seed.
    pub seed: u64,
    /// The agreed option of each issue, in the scenario's issue order; `None` without a deal.
    pub agreement: Option<Vec<String>>,
    /// The rounds used.
    pub rounds: usize,
    /// Each party's utility: of the agreement, or its disagreement point without one.
    pub utilities: Vec<f64>,
    /// The distance to the nearest Nash outcome; `None` when the agreement zone is empty.
    pub distance_to_nash: Option<f64>,
    /// The distance to the Pareto frontier; `None` when no frontier outcome dominates it.
    pub distance_to_frontier: Option<f64>,
    /// How many times a party evaluated an offer.
    pub offer_evaluations: u64,
    /// How long the run took, in seconds, where it was timed.
    pub elapsed_seconds: Option<f64>,
}

/// Aggregates over the runs in which a strategy or a profile played.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentAggregate {
    /// The strategy's name or the profile's label.
    pub name: String,
    /// The runs it took part in.
    pub runs: usize,
    /// The share of those runs that reached an agreement.
    pub agreement_rate: f64,
    /// The mean utility of the parties that played it.
    pub mean_utility: f64,
    /// The mean distance to the Nash package, over the runs where it is defined.
    pub mean_distance_to_nash: Option<f64>,
    /// Runs per second of the summed run times (per core), where runs were timed.
    pub negotiations_per_second: Option<f64>,
}

/// A tournament's results: scenarios x profiles x seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentReport {
    /// The scenarios played.
    pub scenarios: Vec<TournamentScenario>,
    /// The seeds per scenario and profile.
    pub seeds: usize,
    /// The deadline, in rounds.
    pub deadline_rounds: usize,
    /// The wall-clock time of the whole tournament, in seconds.
    pub elapsed_seconds: f64,
    /// The threads it ran on.
    pub threads: usize,
    /// Every run, by scenario, then profile, then seed.
    pub runs: Vec<TournamentRun>,
    /// Per party strategy.
    pub by_strategy: Vec<TournamentAggregate>,
    /// Per profile.
    pub by_profile: Vec<TournamentAggregate>,
}

/// Names in order of first appearance, without repeats.
fn union<'a>(lists: impl Iterator<Item = &'a [String]>) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for name in lists.flatten() {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    names
}

fn optional(value: Option<f64>) -> String {
    value.map_or(String::new(), |value| value.to_string())
}

/// The runs as a tidy CSV table: one row per run, with its parameters (scenario, protocol,
/// mediator, profile, seed), whether it reached an agreement and in how many rounds, then one
/// column per party's strategy (`strategy_PARTY`) and utility (`utility_PARTY`) and one per
/// issue's agreed option (`option_ISSUE`), then the run's distances, offer evaluations and
/// time. Over several scenarios the columns are the union of their parties and issues, in
/// order of first appearance; a cell is empty where the run's scenario has no such party or
/// issue, and an option is empty where the run reached no agreement.
pub fn csv(report: &TournamentReport) -> String {
    let parties = union(report.scenarios.iter().map(|scenario| scenario.parties.as_slice()));
    let issues = union(report.scenarios.iter().map(|scenario| scenario.issues.as_slice()));
    let mut header: Vec<String> =
        ["scenario", "protocol", "mediator", "profile", "seed", "agreement", "rounds"]
            .map(str::to_owned)
            .to_vec();
    header.extend(parties.iter().map(|party| format!("strategy_{party}")));
    header.extend(parties.iter().map(|party| format!("utility_{party}")));
    header.extend(issues.iter().map(|issue| format!("option_{issue}")));
    header.extend(
        ["distance_to_nash", "distance_to_frontier", "offer_evaluations", "elapsed_seconds"]
            .map(str::to_owned),
    );
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail: every record has the header's length.
    let _ = writer.write_record(&header);
    for run in &report.runs {
        let scenario = &report.scenarios[run.scenario_idx];
        let party_idx = |party: &str| scenario.parties.iter().position(|own| own == party);
        let issue_idx = |issue: &str| scenario.issues.iter().position(|own| own == issue);
        let mut row: Vec<String> = vec![
            scenario.file.clone(),
            run.protocol.clone(),
            run.mediator.clone().unwrap_or_default(),
            run.profile.clone(),
            run.seed.to_string(),
            run.agreement.is_some().to_string(),
            run.rounds.to_string(),
        ];
        row.extend(parties.iter().map(|party| {
            party_idx(party).and_then(|idx| run.strategies.get(idx)).cloned().unwrap_or_default()
        }));
        row.extend(parties.iter().map(|party| {
            party_idx(party)
                .and_then(|idx| run.utilities.get(idx))
                .map_or(String::new(), f64::to_string)
        }));
        row.extend(issues.iter().map(|issue| {
            issue_idx(issue)
                .and_then(|idx| run.agreement.as_ref().and_then(|options| options.get(idx)))
                .cloned()
                .unwrap_or_default()
        }));
        row.extend([
            optional(run.distance_to_nash),
            optional(run.distance_to_frontier),
            run.offer_evaluations.to_string(),
            optional(run.elapsed_seconds),
        ]);
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    // Every field is a Rust string, so the table is UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(scenario_idx: usize, seed: u64, agreement: Option<&[&str]>) -> TournamentRun {
        let n_parties = if scenario_idx == 0 { 2 } else { 3 };
        TournamentRun {
            scenario_idx,
            protocol: "alternating-offers".to_owned(),
            mediator: None,
            profile: "alternating-offers boulware,linear".to_owned(),
            strategies: (0..n_parties)
                .map(|idx| if idx == 0 { "boulware" } else { "linear" }.to_owned())
                .collect(),
            seed,
            agreement: agreement
                .map(|options| options.iter().map(|option| (*option).to_owned()).collect()),
            rounds: 7,
            utilities: (0..n_parties).map(|idx| 0.25 * (idx + 1) as f64).collect(),
            distance_to_nash: None,
            distance_to_frontier: Some(0.5),
            offer_evaluations: 30,
            elapsed_seconds: None,
        }
    }

    fn scenario(file: &str, parties: &[&str], issues: &[&str]) -> TournamentScenario {
        let owned = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect();
        TournamentScenario {
            file: file.to_owned(),
            id: file.to_owned(),
            parties: owned(parties),
            issues: owned(issues),
        }
    }

    #[test]
    fn one_row_per_run_one_column_per_party_and_issue_named_by_them() {
        let report = TournamentReport {
            scenarios: vec![
                scenario("a.toml", &["buyer", "seller"], &["price", "delivery"]),
                scenario("b, \"quoted\".toml", &["seller", "bank", "buyer"], &["price", "loan"]),
            ],
            seeds: 1,
            deadline_rounds: 100,
            elapsed_seconds: 0.0,
            threads: 1,
            runs: vec![run(0, 0, Some(&["high", "late"])), run(1, 0, None)],
            by_strategy: Vec::new(),
            by_profile: Vec::new(),
        };
        expect_test::expect![[r#"
            scenario,protocol,mediator,profile,seed,agreement,rounds,strategy_buyer,strategy_seller,strategy_bank,utility_buyer,utility_seller,utility_bank,option_price,option_delivery,option_loan,distance_to_nash,distance_to_frontier,offer_evaluations,elapsed_seconds
            a.toml,alternating-offers,,"alternating-offers boulware,linear",0,true,7,boulware,linear,,0.25,0.5,,high,late,,,0.5,30,
            "b, ""quoted"".toml",alternating-offers,,"alternating-offers boulware,linear",0,false,7,linear,boulware,linear,0.75,0.25,0.5,,,,,0.5,30,
        "#]]
        .assert_eq(&csv(&report));
    }
}
