//! The validated input: parties with additive utilities over issues with discrete options.

use rand::{RngExt, SeedableRng};

use crate::{Error, Result};

/// Utilities within this distance below a reservation value still meet it.
pub const ZONE_TOLERANCE: f64 = 1e-12;

/// The largest number of options one issue may have, so that an option fits in a `u16`.
pub const MAX_OPTIONS: usize = 1 << 16;

/// One party's preferences, as given by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct PartySpec {
    /// Weighted utility contributions, indexed `[issue_idx][option_idx]`.
    pub contributions: Vec<Vec<f64>>,
    /// The party's reservation value, if one is known.
    pub reservation: Option<f64>,
    /// Whether the agreement zone requires this party's utility to reach its reservation.
    pub constrains_zone: bool,
    /// Red lines, indexed `[issue_idx][option_idx]`: `true` excludes that option from the zone.
    pub red_lines: Vec<Vec<bool>>,
}

/// Which outcomes an analysis ranges over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The agreement zone: no red line crossed and every constraining reservation met.
    Zone,
    /// Every outcome, ignoring red lines and reservations.
    Unrestricted,
}

/// A validated additive utility space.
///
/// Outcomes are slices of option indices, one per issue. Contributions are stored flat, with
/// all parties' values for one option next to each other, because every hot loop reads them
/// that way.
#[derive(Debug, Clone, PartialEq)]
pub struct UtilitySpace {
    n_parties: usize,
    option_counts: Vec<usize>,
    /// `option_offsets[issue_idx] + option_idx` is an option's global index.
    option_offsets: Vec<usize>,
    /// `values[global_option_idx * n_parties + party_idx]`.
    values: Vec<f64>,
    /// `red_lines[global_option_idx * n_parties + party_idx]`.
    red_lines: Vec<bool>,
    reservations: Vec<Option<f64>>,
    constrains_zone: Vec<bool>,
    lowest: Vec<f64>,
    best: Vec<f64>,
    disagreement: Vec<f64>,
}

/// The zone's rules in a form the algorithms read directly; concessions edit a copy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rules {
    /// Whether no party red-lines this global option.
    pub(crate) allowed: Vec<bool>,
    /// Per party, the least utility an outcome in the zone gives it (`-inf` if unconstrained).
    pub(crate) thresholds: Vec<f64>,
}

impl Rules {
    pub(crate) fn meets_thresholds(&self, utilities: &[f64]) -> bool {
        utilities.iter().zip(&self.thresholds).all(|(utility, threshold)| utility >= threshold)
    }
}

/// Checks what every space needs: a party, an issue, and 1 to [`MAX_OPTIONS`] options on
/// each issue.
pub(crate) fn check_dimensions(option_counts: &[usize], n_parties: usize) -> Result<()> {
    if n_parties == 0 {
        return Err(Error::NoParties);
    }
    if option_counts.is_empty() {
        return Err(Error::NoIssues);
    }
    for (issue_idx, &n_options) in option_counts.iter().enumerate() {
        if n_options == 0 {
            return Err(Error::NoOptions { issue_idx });
        }
        if n_options > MAX_OPTIONS {
            return Err(Error::TooManyOptions { issue_idx, n_options });
        }
    }
    Ok(())
}

impl UtilitySpace {
    /// Validates and builds a space from per-issue option counts and party specifications.
    pub fn new(option_counts: Vec<usize>, parties: Vec<PartySpec>) -> Result<UtilitySpace> {
        check_dimensions(&option_counts, parties.len())?;
        let n_parties = parties.len();
        let n_issues = option_counts.len();
        let mut option_offsets = Vec::with_capacity(n_issues);
        let mut n_global_options = 0;
        for &n_options in &option_counts {
            option_offsets.push(n_global_options);
            n_global_options += n_options;
        }
        let mut values = vec![0.0; n_global_options * n_parties];
        let mut red_lines = vec![false; n_global_options * n_parties];
        for (party_idx, party) in parties.iter().enumerate() {
            check_shape(party_idx, "issues of contributions", party.contributions.len(), n_issues)?;
            check_shape(party_idx, "issues of red lines", party.red_lines.len(), n_issues)?;
            for issue_idx in 0..n_issues {
                let n_options = option_counts[issue_idx];
                let row = &party.contributions[issue_idx];
                let what = format!("options of contributions on issue {issue_idx}");
                check_shape(party_idx, &what, row.len(), n_options)?;
                let red_row = &party.red_lines[issue_idx];
                let what = format!("options of red lines on issue {issue_idx}");
                check_shape(party_idx, &what, red_row.len(), n_options)?;
                for option_idx in 0..n_options {
                    let value = row[option_idx];
                    if !value.is_finite() {
                        return Err(Error::NonFiniteContribution {
                            party_idx,
                            issue_idx,
                            option_idx,
                            value,
                        });
                    }
                    let global_idx =
                        (option_offsets[issue_idx] + option_idx) * n_parties + party_idx;
                    values[global_idx] = value;
                    red_lines[global_idx] = red_row[option_idx];
                }
            }
            if let Some(value) = party.reservation
                && !value.is_finite()
            {
                return Err(Error::NonFiniteReservation { party_idx, value });
            }
        }
        let mut space = UtilitySpace {
            n_parties,
            option_counts,
            option_offsets,
            values,
            red_lines,
            reservations: parties.iter().map(|party| party.reservation).collect(),
            constrains_zone: parties.iter().map(|party| party.constrains_zone).collect(),
            lowest: Vec::new(),
            best: Vec::new(),
            disagreement: Vec::new(),
        };
        // Both extremes are summed in issue order from 0.0, like every utility, so that
        // `lowest <= u <= best` holds exactly for every outcome.
        let mut lowest = vec![0.0; n_parties];
        let mut best = vec![0.0; n_parties];
        for issue_idx in 0..n_issues {
            for party_idx in 0..n_parties {
                let (min, max) = (0..space.option_counts[issue_idx])
                    .map(|option_idx| space.value(party_idx, issue_idx, option_idx))
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(min, max), value| {
                        (min.min(value), max.max(value))
                    });
                lowest[party_idx] += min;
                best[party_idx] += max;
            }
        }
        space.disagreement = (0..n_parties)
            .map(|party_idx| match space.reservations[party_idx] {
                Some(reservation) if reservation >= lowest[party_idx] => reservation,
                _ => lowest[party_idx],
            })
            .collect();
        space.lowest = lowest;
        space.best = best;
        Ok(space)
    }

    /// The number of parties.
    pub fn n_parties(&self) -> usize {
        self.n_parties
    }

    /// The number of issues.
    pub fn n_issues(&self) -> usize {
        self.option_counts.len()
    }

    /// The number of options of each issue.
    pub fn option_counts(&self) -> &[usize] {
        &self.option_counts
    }

    /// The number of outcomes, as a float because it easily exceeds `u64`.
    pub fn n_outcomes(&self) -> f64 {
        self.option_counts.iter().map(|&n_options| n_options as f64).product()
    }

    /// A party's weighted contribution from one option of one issue.
    pub fn value(&self, party_idx: usize, issue_idx: usize, option_idx: usize) -> f64 {
        self.values[(self.option_offsets[issue_idx] + option_idx) * self.n_parties + party_idx]
    }

    /// Whether a party red-lines one option of one issue.
    pub fn is_red_line(&self, party_idx: usize, issue_idx: usize, option_idx: usize) -> bool {
        self.red_lines[(self.option_offsets[issue_idx] + option_idx) * self.n_parties + party_idx]
    }

    /// A party's reservation value, if given.
    pub fn reservation(&self, party_idx: usize) -> Option<f64> {
        self.reservations[party_idx]
    }

    /// Whether a party's reservation constrains the zone.
    pub fn constrains_zone(&self, party_idx: usize) -> bool {
        self.constrains_zone[party_idx]
    }

    /// Each party's lowest utility over all outcomes.
    pub fn lowest(&self) -> &[f64] {
        &self.lowest
    }

    /// Each party's best utility over all outcomes (its ideal point).
    pub fn best(&self) -> &[f64] {
        &self.best
    }

    /// Each party's disagreement point: its reservation when given and not below its lowest
    /// utility, otherwise its lowest utility.
    pub fn disagreement(&self) -> &[f64] {
        &self.disagreement
    }

    /// Writes every party's utility of `outcome` into `utilities`.
    ///
    /// Sums run over issues in order from `0.0`; all algorithms use this order.
    pub fn utilities_into(&self, outcome: &[u16], utilities: &mut [f64]) {
        utilities.fill(0.0);
        for (issue_idx, &option_idx) in outcome.iter().enumerate() {
            let start = (self.option_offsets[issue_idx] + usize::from(option_idx)) * self.n_parties;
            for (utility, value) in utilities.iter_mut().zip(&self.values[start..]) {
                *utility += value;
            }
        }
    }

    /// Every party's utility of `outcome`.
    pub fn utilities(&self, outcome: &[u16]) -> Vec<f64> {
        let mut utilities = vec![0.0; self.n_parties];
        self.utilities_into(outcome, &mut utilities);
        utilities
    }

    /// Whether `outcome` lies in the agreement zone: no red line crossed, and every party that
    /// constrains the zone with a reservation gets at least that reservation minus
    /// [`ZONE_TOLERANCE`].
    pub fn is_in_zone(&self, outcome: &[u16]) -> bool {
        let rules = self.rules(Scope::Zone);
        let allowed = outcome.iter().enumerate().all(|(issue_idx, &option_idx)| {
            rules.allowed[self.option_offsets[issue_idx] + usize::from(option_idx)]
        });
        allowed && rules.meets_thresholds(&self.utilities(outcome))
    }

    /// Whether no party tells the options of an issue apart: every option gives every party
    /// the same contribution (bit for bit) and the same red line. An issue with one option is
    /// not counted: there is nothing to tell apart.
    ///
    /// Such an issue multiplies every set of outcomes by its option count without changing a
    /// utility or a red line, so every question has the same answer on the space with the
    /// issue narrowed to one option ([`UtilitySpace::without_indifference`]).
    pub fn is_indifferent(&self, issue_idx: usize) -> bool {
        let n_options = self.option_counts[issue_idx];
        let offset = self.option_offsets[issue_idx];
        n_options > 1
            && (1..n_options).all(|option_idx| {
                let global_idx = offset + option_idx;
                // Bit-identical values, so that sums over the narrowed space are the same.
                self.option_values(global_idx)
                    .iter()
                    .zip(self.option_values(offset))
                    .all(|(value, first)| value.to_bits() == first.to_bits())
                    && self.red_lines_of(global_idx) == self.red_lines_of(offset)
            })
    }

    /// The indifferent issues ([`UtilitySpace::is_indifferent`]), in increasing order.
    pub fn indifferent_issues(&self) -> Vec<usize> {
        (0..self.n_issues()).filter(|&issue_idx| self.is_indifferent(issue_idx)).collect()
    }

    /// The space with each indifferent issue narrowed to its first option, and those issues.
    ///
    /// The issues keep their places and every other issue its options, so an outcome of the
    /// narrowed space is an outcome of this one (option 0 on the indifferent issues) with the
    /// same utilities, bit for bit. Each outcome of the narrowed space stands for the product
    /// of the indifferent issues' option counts outcomes of this one, all tied: the zone's
    /// size, the frontiers and the packages multiply by that product and nothing else changes.
    pub fn without_indifference(&self) -> (UtilitySpace, Vec<usize>) {
        let indifferent = self.indifferent_issues();
        if indifferent.is_empty() {
            return (self.clone(), indifferent);
        }
        let allowed: Vec<Vec<usize>> = (0..self.n_issues())
            .map(|issue_idx| {
                if indifferent.binary_search(&issue_idx).is_ok() {
                    vec![0]
                } else {
                    (0..self.option_counts[issue_idx]).collect()
                }
            })
            .collect();
        let narrowed = self.restricted(&allowed).expect("narrowing keeps a valid space valid");
        (narrowed, indifferent)
    }

    /// The space restricted to some options of each issue (`allowed[issue_idx]`, option indices
    /// of this space, none repeated), renumbered from 0 in the order given.
    pub fn restricted(&self, allowed: &[Vec<usize>]) -> Result<UtilitySpace> {
        if allowed.len() != self.n_issues() {
            return Err(Error::ShapeMismatch {
                party_idx: 0,
                what: "issues of allowed options".to_owned(),
                found: allowed.len(),
                expected: self.n_issues(),
            });
        }
        let specs = (0..self.n_parties)
            .map(|party_idx| PartySpec {
                contributions: allowed
                    .iter()
                    .enumerate()
                    .map(|(issue_idx, options)| {
                        options
                            .iter()
                            .map(|&option_idx| self.value(party_idx, issue_idx, option_idx))
                            .collect()
                    })
                    .collect(),
                reservation: self.reservations[party_idx],
                constrains_zone: self.constrains_zone[party_idx],
                red_lines: allowed
                    .iter()
                    .enumerate()
                    .map(|(issue_idx, options)| {
                        options
                            .iter()
                            .map(|&option_idx| self.is_red_line(party_idx, issue_idx, option_idx))
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        UtilitySpace::new(allowed.iter().map(Vec::len).collect(), specs)
    }

    pub(crate) fn option_offsets(&self) -> &[usize] {
        &self.option_offsets
    }

    /// All parties' values of one global option.
    pub(crate) fn option_values(&self, global_option_idx: usize) -> &[f64] {
        let start = global_option_idx * self.n_parties;
        &self.values[start..start + self.n_parties]
    }

    pub(crate) fn red_lines_of(&self, global_option_idx: usize) -> &[bool] {
        let start = global_option_idx * self.n_parties;
        &self.red_lines[start..start + self.n_parties]
    }

    /// The least utility a party must get in the zone, for thresholds in [`Rules`].
    pub(crate) fn threshold(&self, party_idx: usize) -> f64 {
        match self.reservations[party_idx] {
            Some(reservation) if self.constrains_zone[party_idx] => reservation - ZONE_TOLERANCE,
            _ => f64::NEG_INFINITY,
        }
    }

    pub(crate) fn rules(&self, scope: Scope) -> Rules {
        let n_global_options = self.values.len() / self.n_parties;
        match scope {
            Scope::Unrestricted => Rules {
                allowed: vec![true; n_global_options],
                thresholds: vec![f64::NEG_INFINITY; self.n_parties],
            },
            Scope::Zone => Rules {
                allowed: (0..n_global_options)
                    .map(|global_idx| !self.red_lines_of(global_idx).contains(&true))
                    .collect(),
                thresholds: (0..self.n_parties)
                    .map(|party_idx| self.threshold(party_idx))
                    .collect(),
            },
        }
    }
}

fn check_shape(party_idx: usize, what: &str, found: usize, expected: usize) -> Result<()> {
    if found == expected {
        return Ok(());
    }
    Err(Error::ShapeMismatch { party_idx, what: what.to_owned(), found, expected })
}

/// A reproducible random space in the style of GENIUS domains, for benchmarks and tests.
///
/// Each party gets random issue weights summing to 1 and per-option values in `[0, 1]` whose
/// maximum on each issue is 1, so its utility ranges within `[0, 1]` and reaches 1. Every
/// party has a constraining reservation of 0 and no red lines. The stream comes from
/// `ChaCha8Rng::seed_from_u64(seed)`, so it is the same on every platform.
pub fn random_space(
    seed: u64,
    n_parties: usize,
    n_issues: usize,
    n_options: usize,
) -> Result<UtilitySpace> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut parties = Vec::with_capacity(n_parties);
    for _ in 0..n_parties {
        let raw_weights: Vec<f64> = (0..n_issues).map(|_| rng.random::<f64>() + 1e-3).collect();
        let weight_sum: f64 = raw_weights.iter().sum();
        let contributions = raw_weights
            .iter()
            .map(|raw_weight| {
                let mut option_values: Vec<f64> =
                    (0..n_options).map(|_| rng.random::<f64>()).collect();
                let max = option_values.iter().copied().fold(0.0, f64::max);
                let weight = raw_weight / weight_sum;
                for value in &mut option_values {
                    *value = if max > 0.0 { weight * *value / max } else { weight };
                }
                option_values
            })
            .collect();
        parties.push(PartySpec {
            contributions,
            reservation: Some(0.0),
            constrains_zone: true,
            red_lines: vec![vec![false; n_options]; n_issues],
        });
    }
    UtilitySpace::new(vec![n_options; n_issues], parties)
}

/// Small random spaces on a grid of values (multiples of `1 / unit`), where floating-point
/// sums split exact ties, for tests that check the searches against the brute force.
#[cfg(test)]
pub(crate) mod test_spaces {
    use std::ops::RangeInclusive;

    use rand::RngExt;

    use super::{PartySpec, UtilitySpace};

    /// How a random grid space is drawn.
    pub(crate) struct GridSpec {
        /// Values are integers over this.
        pub(crate) unit: f64,
        /// The range of the integers of option values.
        pub(crate) values: RangeInclusive<i32>,
        /// The range of the integers of reservations.
        pub(crate) reservations: RangeInclusive<i32>,
        /// One party in this many has no reservation.
        pub(crate) no_reservation_one_in: u32,
        /// Whether every party's consent is needed (else four in five).
        pub(crate) all_constrain: bool,
    }

    /// A random space of 1 to 4 parties and 1 to 5 issues of 1 to 4 options, with a red
    /// line on one option in twelve.
    pub(crate) fn random_grid_space(rng: &mut impl rand::Rng, spec: &GridSpec) -> UtilitySpace {
        let n_parties = rng.random_range(1..=4);
        let option_counts: Vec<usize> =
            (0..rng.random_range(1..=5)).map(|_| rng.random_range(1..=4)).collect();
        let parties = (0..n_parties)
            .map(|_| PartySpec {
                contributions: option_counts
                    .iter()
                    .map(|&n_options| {
                        (0..n_options)
                            .map(|_| f64::from(rng.random_range(spec.values.clone())) / spec.unit)
                            .collect()
                    })
                    .collect(),
                reservation: (rng.random_range(0..spec.no_reservation_one_in) > 0)
                    .then(|| f64::from(rng.random_range(spec.reservations.clone())) / spec.unit),
                constrains_zone: spec.all_constrain || rng.random_range(0..5) > 0,
                red_lines: option_counts
                    .iter()
                    .map(|&n_options| {
                        (0..n_options).map(|_| rng.random_range(0..12) == 0).collect()
                    })
                    .collect(),
            })
            .collect();
        UtilitySpace::new(option_counts, parties).expect("a grid space is valid")
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(option_counts: Vec<usize>, parties: Vec<PartySpec>, expect: Expect) {
        let actual = match UtilitySpace::new(option_counts, parties) {
            Ok(space) => format!(
                "lowest {:?} best {:?} disagreement {:?}",
                space.lowest(),
                space.best(),
                space.disagreement()
            ),
            Err(err) => format!("error: {err}"),
        };
        expect.assert_eq(&actual);
    }

    fn party(contributions: Vec<Vec<f64>>, reservation: Option<f64>) -> PartySpec {
        let red_lines = contributions.iter().map(|row| vec![false; row.len()]).collect();
        PartySpec { contributions, reservation, constrains_zone: true, red_lines }
    }

    #[test]
    fn extremes_and_disagreement() {
        check(
            vec![2, 3],
            vec![
                party(vec![vec![0.1, 0.4], vec![0.0, 0.5, 0.2]], Some(0.3)),
                party(vec![vec![0.5, 0.0], vec![0.5, 0.0, 0.25]], Some(-1.0)),
            ],
            expect!["lowest [0.1, 0.0] best [0.9, 1.0] disagreement [0.3, 0.0]"],
        );
    }

    #[test]
    fn no_reservation_falls_back_to_lowest() {
        check(
            vec![1],
            vec![party(vec![vec![0.25]], None)],
            expect!["lowest [0.25] best [0.25] disagreement [0.25]"],
        );
    }

    #[test]
    fn rejects_empty_issue() {
        check(vec![0], vec![party(vec![vec![]], None)], expect!["error: issue 0 has no options"]);
    }

    #[test]
    fn rejects_no_parties() {
        check(vec![1], vec![], expect!["error: a utility space needs at least one party"]);
    }

    #[test]
    fn rejects_shape_mismatch() {
        check(
            vec![2],
            vec![party(vec![vec![0.5]], None)],
            expect!["error: party 0 gives '1' options of contributions on issue 0, expected 2"],
        );
    }

    #[test]
    fn rejects_nan() {
        check(
            vec![1],
            vec![party(vec![vec![f64::NAN]], None)],
            expect!["error: contribution of party 0 to option 0 of issue 0 is not finite: 'NaN'"],
        );
    }

    #[test]
    fn rejects_infinite_reservation() {
        check(
            vec![1],
            vec![party(vec![vec![0.5]], Some(f64::INFINITY))],
            expect!["error: reservation of party 0 is not finite: 'inf'"],
        );
    }

    /// An issue to insert: its place, its option count and, per party, the contribution and
    /// red line all its options share.
    type Inserted = (usize, usize, Vec<(f64, bool)>);

    /// A copy of `space` with issues inserted.
    fn with_issues_inserted(space: &UtilitySpace, inserted: &[Inserted]) -> UtilitySpace {
        let mut option_counts = space.option_counts().to_vec();
        let mut parties: Vec<PartySpec> = (0..space.n_parties())
            .map(|party_idx| PartySpec {
                contributions: (0..space.n_issues())
                    .map(|issue_idx| {
                        (0..space.option_counts()[issue_idx])
                            .map(|option_idx| space.value(party_idx, issue_idx, option_idx))
                            .collect()
                    })
                    .collect(),
                reservation: space.reservation(party_idx),
                constrains_zone: space.constrains_zone(party_idx),
                red_lines: (0..space.n_issues())
                    .map(|issue_idx| {
                        (0..space.option_counts()[issue_idx])
                            .map(|option_idx| space.is_red_line(party_idx, issue_idx, option_idx))
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        for (at, n_options, per_party) in inserted {
            option_counts.insert(*at, *n_options);
            for (party, &(value, red_line)) in parties.iter_mut().zip(per_party) {
                party.contributions.insert(*at, vec![value; *n_options]);
                party.red_lines.insert(*at, vec![red_line; *n_options]);
            }
        }
        UtilitySpace::new(option_counts, parties).unwrap()
    }

    #[test]
    fn indifference_is_equal_values_and_equal_red_lines_for_every_party() {
        let party = |contributions: Vec<Vec<f64>>, red_lines: Vec<Vec<bool>>| PartySpec {
            contributions,
            reservation: None,
            constrains_zone: true,
            red_lines,
        };
        let space = UtilitySpace::new(
            vec![2, 3, 2, 1, 2],
            vec![
                party(
                    vec![
                        vec![0.1, 0.2],
                        vec![0.3, 0.3, 0.3],
                        vec![0.0, 0.0],
                        vec![0.5],
                        vec![0.2, 0.2],
                    ],
                    vec![
                        vec![false; 2],
                        vec![false; 3],
                        vec![false; 2],
                        vec![false],
                        vec![true, false],
                    ],
                ),
                party(
                    vec![
                        vec![0.1, 0.1],
                        vec![0.0, 0.0, 0.0],
                        vec![0.4, 0.4],
                        vec![0.5],
                        vec![0.2, 0.2],
                    ],
                    vec![
                        vec![false; 2],
                        vec![true; 3],
                        vec![false; 2],
                        vec![false],
                        vec![false; 2],
                    ],
                ),
            ],
        )
        .unwrap();
        // Issue 0: party 0 prefers one; 3 has one option; 4: party 0 red-lines one option.
        assert_eq!(space.indifferent_issues(), vec![1, 2]);
        let (narrowed, indifferent) = space.without_indifference();
        assert_eq!(indifferent, vec![1, 2]);
        assert_eq!(narrowed.option_counts(), &[2, 1, 1, 1, 2]);
        assert_eq!(narrowed.lowest(), space.lowest());
        assert_eq!(narrowed.best(), space.best());
        assert!(narrowed.is_red_line(1, 1, 0));
    }

    /// Indifferent issues inserted into random spaces: the brute force on the narrowed space,
    /// each outcome expanded over the indifferent issues' options, is the brute force on the
    /// whole space, in both scopes, utilities bit for bit; the zone's size is the product.
    #[test]
    fn a_narrowed_space_expanded_is_the_whole_space() {
        use rand::SeedableRng;

        use crate::brute_force::brute_force;
        use crate::control::{Control, build_thread_pool};
        use crate::space::test_spaces::{GridSpec, random_grid_space};

        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
        let pool = build_thread_pool(1).unwrap();
        for _ in 0..200 {
            let base = random_grid_space(
                &mut rng,
                &GridSpec {
                    unit: 10.0,
                    values: 0..=3,
                    reservations: 0..=8,
                    no_reservation_one_in: 2,
                    all_constrain: false,
                },
            );
            let inserted: Vec<Inserted> = (0..rng.random_range(1..=2))
                .map(|_| {
                    let at = rng.random_range(0..=base.n_issues());
                    let per_party = (0..base.n_parties())
                        .map(|_| {
                            (f64::from(rng.random_range(0..=3)) / 10.0, rng.random_range(0..8) == 0)
                        })
                        .collect();
                    (at, rng.random_range(2..=3), per_party)
                })
                .collect();
            let whole = with_issues_inserted(&base, &inserted);
            let (narrowed, indifferent) = whole.without_indifference();
            assert!(!indifferent.is_empty());
            let factor: u64 = indifferent
                .iter()
                .map(|&issue_idx| whole.option_counts()[issue_idx] as u64)
                .product();
            for scope in [Scope::Zone, Scope::Unrestricted] {
                let expected = brute_force(&whole, scope, &pool, &Control::none()).unwrap();
                let found = brute_force(&narrowed, scope, &pool, &Control::none()).unwrap();
                assert_eq!(expected.n_in_scope, found.n_in_scope * factor);
                let mut expanded: Vec<(Vec<u16>, Vec<u64>)> = Vec::new();
                for (outcome, utilities) in found.frontier.iter() {
                    let mut partial = vec![outcome.to_vec()];
                    for &issue_idx in &indifferent {
                        partial = partial
                            .into_iter()
                            .flat_map(|prefix| {
                                (0..whole.option_counts()[issue_idx] as u16).map(move |option| {
                                    let mut longer = prefix.clone();
                                    longer[issue_idx] = option;
                                    longer
                                })
                            })
                            .collect();
                    }
                    let bits: Vec<u64> = utilities.iter().map(|u| u.to_bits()).collect();
                    expanded.extend(partial.into_iter().map(|outcome| (outcome, bits.clone())));
                }
                expanded.sort();
                let reference: Vec<(Vec<u16>, Vec<u64>)> = expected
                    .frontier
                    .iter()
                    .map(|(outcome, utilities)| {
                        (outcome.to_vec(), utilities.iter().map(|u| u.to_bits()).collect())
                    })
                    .collect();
                assert_eq!(expanded, reference, "{scope:?} {:?}", whole.option_counts());
            }
        }
    }

    #[test]
    fn random_space_is_normalised() {
        let space = random_space(7, 3, 5, 4).unwrap();
        for party_idx in 0..3 {
            assert!((space.best()[party_idx] - 1.0).abs() < 1e-12);
            assert!(space.lowest()[party_idx] >= 0.0);
        }
        assert_eq!(space, random_space(7, 3, 5, 4).unwrap());
    }
}
