//! Strategies, by name: what each party (and the mediator) does, and how a profile assigns
//! them.
//!
//! Time-based concession aims at `u(t) = best - (best - floor) * t^(1/e)`, where `best` is
//! the party's best utility, `floor` its disagreement point (its reservation when given and
//! not below its lowest utility, otherwise its lowest utility) and `t` the relative time in
//! `[0, 1]`. An exponent `e < 1` concedes late (Boulware), `e = 1` linearly, `e > 1` early
//! (Conceder). `boulware` is `e = 0.25` and `conceder` is `e = 4`, the curves NegMAS's
//! `BoulwareTBNegotiator` and `ConcederTBNegotiator` follow (`1 - t^4` and `1 - t^0.25`).

use crate::protocol::Protocol;
use crate::{Error, Result};

/// The exponent `boulware` means.
pub const BOULWARE_EXPONENT: f64 = 0.25;
/// The exponent `conceder` means.
pub const CONCEDER_EXPONENT: f64 = 4.0;
/// The acceptance probability `random` means.
pub const RANDOM_ACCEPTANCE: f64 = 0.5;

/// What a party does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Strategy {
    /// Concede along the frontier towards the disagreement point as time runs out.
    TimeBased {
        /// The concession exponent `e`: below 1 Boulware, 1 linear, above 1 Conceder.
        exponent: f64,
    },
    /// Relative tit-for-tat: concede, in its own utility, as much as the others' offers (or
    /// the mediator's texts) have come its way.
    TitForTat,
    /// Bid random outcomes it could accept; accept what it could accept with a probability.
    Random {
        /// The probability of accepting an acceptable offer or text.
        acceptance_probability: f64,
    },
    /// Follow the party's recorded positions: at relative time `t` it holds the positions of
    /// stage `floor(t * n_stages)` of the timeline, asks for its ideal outcome under them,
    /// and concedes linearly in their terms.
    Recorded,
}

/// What the mediator of a single-text or shuttle protocol does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediatorStrategy {
    /// The protocol's own rule: random neighbouring texts (hill climbing), random texts
    /// (veto), or a one-issue revision that favours the vetoing party (shuttle).
    Protocol,
    /// Propose the exact Nash package, then move towards it one issue at a time (single text)
    /// or revise around vetoes by the best Nash product that gives the vetoing party more
    /// (shuttle).
    Nash,
}

/// One parsed name of a `--strategies` list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StrategyName {
    /// A party's strategy.
    Party(Strategy),
    /// The mediator's strategy.
    Mediator(MediatorStrategy),
}

impl Strategy {
    /// The strategy's canonical name, with its parameter: `boulware:0.25`, `tit-for-tat`.
    pub fn name(&self) -> String {
        match *self {
            Strategy::TimeBased { exponent } if exponent == BOULWARE_EXPONENT => {
                "boulware".to_owned()
            }
            Strategy::TimeBased { exponent: 1.0 } => "linear".to_owned(),
            Strategy::TimeBased { exponent } if exponent == CONCEDER_EXPONENT => {
                "conceder".to_owned()
            }
            Strategy::TimeBased { exponent } if exponent < 1.0 => format!("boulware:{exponent}"),
            Strategy::TimeBased { exponent } => format!("conceder:{exponent}"),
            Strategy::TitForTat => "tit-for-tat".to_owned(),
            Strategy::Random { acceptance_probability }
                if acceptance_probability == RANDOM_ACCEPTANCE =>
            {
                "random".to_owned()
            }
            Strategy::Random { acceptance_probability } => {
                format!("random:{acceptance_probability}")
            }
            Strategy::Recorded => "recorded".to_owned(),
        }
    }
}

impl MediatorStrategy {
    /// The strategy's name.
    pub fn name(self) -> &'static str {
        match self {
            MediatorStrategy::Protocol => "protocol-mediator",
            MediatorStrategy::Nash => "nash-mediator",
        }
    }
}

impl StrategyName {
    /// Parses `boulware`, `boulware:0.2`, `linear`, `conceder`, `conceder:2.5`,
    /// `time-based:E`, `tit-for-tat`, `random`, `random:0.3`, `recorded` or `nash-mediator`.
    pub fn parse(text: &str) -> Result<StrategyName> {
        let text = text.trim();
        let (name, parameter) = match text.split_once(':') {
            Some((name, parameter)) => (name, Some(parameter)),
            None => (text, None),
        };
        let number = |expected: &'static str, valid: &dyn Fn(f64) -> bool| -> Result<Option<f64>> {
            let Some(parameter) = parameter else { return Ok(None) };
            match parameter.trim().parse::<f64>() {
                Ok(value) if value.is_finite() && valid(value) => Ok(Some(value)),
                _ => Err(Error::BadStrategyParameter {
                    name: name.to_owned(),
                    parameter: parameter.to_owned(),
                    expected,
                }),
            }
        };
        let time_based = |exponent: f64| StrategyName::Party(Strategy::TimeBased { exponent });
        Ok(match name {
            "boulware" => time_based(
                number("an exponent above 0 and below 1", &|e| e > 0.0 && e < 1.0)?
                    .unwrap_or(BOULWARE_EXPONENT),
            ),
            "linear" if parameter.is_none() => time_based(1.0),
            "conceder" => time_based(
                number("an exponent above 1", &|e| e > 1.0)?.unwrap_or(CONCEDER_EXPONENT),
            ),
            "time-based" => time_based(number("an exponent above 0", &|e| e > 0.0)?.unwrap_or(1.0)),
            "tit-for-tat" if parameter.is_none() => StrategyName::Party(Strategy::TitForTat),
            "random" => StrategyName::Party(Strategy::Random {
                acceptance_probability: number("a probability in [0, 1]", &|p| {
                    (0.0..=1.0).contains(&p)
                })?
                .unwrap_or(RANDOM_ACCEPTANCE),
            }),
            "recorded" if parameter.is_none() => StrategyName::Party(Strategy::Recorded),
            "nash-mediator" if parameter.is_none() => {
                StrategyName::Mediator(MediatorStrategy::Nash)
            }
            _ => return Err(Error::UnknownStrategy { name: text.to_owned() }),
        })
    }
}

/// A protocol with the mediator's strategy and the parties'.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The protocol.
    pub protocol: Protocol,
    /// The mediator's strategy (ignored by alternating offers).
    pub mediator: MediatorStrategy,
    /// The parties' strategies in party order; the last one also applies to every party
    /// after it, so one strategy applies to all. Never empty.
    pub parties: Vec<Strategy>,
}

impl Profile {
    /// Parses a comma-separated list of strategy names for a protocol. Party strategies are
    /// assigned in party order (the last to the rest); a mediator strategy may appear
    /// anywhere. With no party strategy, every party concedes linearly.
    pub fn parse(protocol: Protocol, list: &str, n_parties: usize) -> Result<Profile> {
        let mut mediator = MediatorStrategy::Protocol;
        let mut parties = Vec::new();
        for text in list.split(',').filter(|text| !text.trim().is_empty()) {
            match StrategyName::parse(text)? {
                StrategyName::Party(strategy) => parties.push(strategy),
                StrategyName::Mediator(strategy) => {
                    if !protocol.has_mediator() {
                        return Err(Error::NoMediator {
                            name: strategy.name().to_owned(),
                            protocol: protocol.name(),
                        });
                    }
                    mediator = strategy;
                }
            }
        }
        if parties.len() > n_parties {
            return Err(Error::TooManyStrategies { n_given: parties.len(), n_parties });
        }
        if parties.is_empty() {
            parties.push(Strategy::TimeBased { exponent: 1.0 });
        }
        Ok(Profile { protocol, mediator, parties })
    }

    /// The strategy of one party.
    pub fn strategy_of(&self, party_idx: usize) -> Strategy {
        self.parties[party_idx.min(self.parties.len() - 1)]
    }

    /// A label such as `alternating-offers boulware,linear` or
    /// `shuttle nash-mediator linear`.
    pub fn label(&self) -> String {
        let parties: Vec<String> = self.parties.iter().map(Strategy::name).collect();
        if self.protocol.has_mediator() && self.mediator == MediatorStrategy::Nash {
            format!("{} {} {}", self.protocol.name(), self.mediator.name(), parties.join(","))
        } else {
            format!("{} {}", self.protocol.name(), parties.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(protocol: &str, list: &str, expect: Expect) {
        let actual = Protocol::parse(protocol)
            .and_then(|protocol| Profile::parse(protocol, list, 3))
            .map_or_else(|err| format!("error: {err}"), |profile| profile.label());
        expect.assert_eq(&actual);
    }

    #[test]
    fn one_strategy_for_all() {
        check("alternating-offers", "boulware", expect!["alternating-offers boulware"]);
    }

    #[test]
    fn exponents_and_defaults() {
        check(
            "alternating-offers",
            "boulware:0.2, conceder:2.5,linear",
            expect!["alternating-offers boulware:0.2,conceder:2.5,linear"],
        );
        check("alternating-offers", "", expect!["alternating-offers linear"]);
    }

    #[test]
    fn mediator_anywhere() {
        check("shuttle", "linear,nash-mediator", expect!["shuttle nash-mediator linear"]);
    }

    #[test]
    fn mediator_needs_a_mediated_protocol() {
        check(
            "alternating-offers",
            "nash-mediator",
            expect![
                "error: strategy 'nash-mediator' is a mediator's, but protocol 'alternating-offers' has no mediator"
            ],
        );
    }

    #[test]
    fn bad_names_and_parameters() {
        check(
            "alternating-offers",
            "hardheaded",
            expect![
                "error: unknown strategy 'hardheaded', expected boulware, linear, conceder (each with an optional ':EXPONENT'), tit-for-tat, random (with an optional ':PROBABILITY'), recorded or nash-mediator"
            ],
        );
        check(
            "alternating-offers",
            "boulware:2",
            expect![
                "error: strategy 'boulware' has a bad parameter '2': an exponent above 0 and below 1"
            ],
        );
        check(
            "alternating-offers",
            "random:x",
            expect!["error: strategy 'random' has a bad parameter 'x': a probability in [0, 1]"],
        );
        check(
            "alternating-offers",
            "linear,linear,linear,linear",
            expect!["error: '4' party strategies given for a scenario of 3 parties"],
        );
    }
}
