//! How stances moved: for each party and issue, every position of the record in date order,
//! with the stance on each option, the importance, the confidence and the sources at each
//! date. `parley history` prints it, the HTML report and the server's stances page draw it
//! (one line per party and option, the stance's value on the scale over time).
//!
//! It is built from the scenario the caller passes: for a user, the one `visible_to` gives,
//! so that a delegate's history holds none of another party's private positions.

use std::collections::BTreeMap;

use parley_model::scenario::{Position, Scenario};
use parley_model::stance::{Stance, StanceLevel};
use serde::Serialize;

use crate::Error;
use crate::schema::{StanceCell, stance_cell};

/// The history of the stances asked for.
#[derive(Serialize, Debug, Clone)]
pub struct StanceHistory {
    /// The party asked for, or null for every party.
    pub party: Option<String>,
    /// The issue asked for, or null for every issue.
    pub issue: Option<String>,
    /// One series per party and issue that has positions, in the record's order of parties
    /// then issues.
    pub series: Vec<HistorySeries>,
    /// Each stance level and the value the chart draws it at (the middle of its interval on
    /// the scenario's scale).
    pub levels: Vec<LevelValue>,
}

/// A stance level and its value on the scale.
#[derive(Serialize, Debug, Clone)]
pub struct LevelValue {
    /// The level's keyword (`red-line` ... `preferred`).
    pub level: &'static str,
    /// The middle of its interval.
    pub value: f64,
}

/// One party's positions on one issue, in date order (undated ones first).
#[derive(Serialize, Debug, Clone)]
pub struct HistorySeries {
    /// The party's id.
    pub party: String,
    /// The party's name.
    pub party_name: String,
    /// The issue's id.
    pub issue: String,
    /// The issue's title.
    pub issue_title: String,
    /// Each position, as the report's stance matrix shows one, with the point estimate of
    /// each stance on the scenario's scale.
    pub positions: Vec<HistoryEntry>,
}

/// One dated position.
#[derive(Serialize, Debug, Clone)]
pub struct HistoryEntry {
    /// The position, in the report's shape.
    #[serde(flatten)]
    pub position: StanceCell,
    /// The value of each stance on the scale (the middle of its level's interval, or the
    /// exact value): what the chart draws.
    pub values: BTreeMap<String, f64>,
    /// The date as days since 1970-01-01, for the chart's axis; none when undated.
    #[serde(skip)]
    pub day: Option<i32>,
}

/// The history of one party's (or every party's) stances on one issue (or every issue).
///
/// # Errors
///
/// [`Error::UnknownParty`] or [`Error::UnknownIssue`] when an id names nothing in the
/// scenario, with the nearest id when one is near.
pub fn build(
    scenario: &Scenario,
    party: Option<&str>,
    issue: Option<&str>,
) -> Result<StanceHistory, Error> {
    if let Some(party) = party
        && !scenario.parties.iter().any(|candidate| candidate.id.as_str() == party)
    {
        return Err(Error::UnknownParty {
            id: party.to_owned(),
            suggestion: parley_model::suggest::did_you_mean(
                party,
                scenario.parties.iter().map(|candidate| candidate.id.as_str()),
            ),
        });
    }
    if let Some(issue) = issue
        && !scenario.issues.iter().any(|candidate| candidate.id.as_str() == issue)
    {
        return Err(Error::UnknownIssue {
            id: issue.to_owned(),
            suggestion: parley_model::suggest::did_you_mean(
                issue,
                scenario.issues.iter().map(|candidate| candidate.id.as_str()),
            ),
        });
    }
    let mut series = Vec::new();
    for record_party in &scenario.parties {
        if party.is_some_and(|party| party != record_party.id.as_str()) {
            continue;
        }
        for record_issue in &scenario.issues {
            if issue.is_some_and(|issue| issue != record_issue.id.as_str()) {
                continue;
            }
            let mut positions: Vec<&Position> = scenario
                .positions
                .iter()
                .filter(|position| {
                    position.party == record_party.id && position.issue == record_issue.id
                })
                .collect();
            if positions.is_empty() {
                continue;
            }
            // A stable sort: positions of the same date keep the record's order.
            positions.sort_by_key(|position| position.date.map(|date| date.date));
            series.push(HistorySeries {
                party: record_party.id.to_string(),
                party_name: record_party.name.clone(),
                issue: record_issue.id.to_string(),
                issue_title: record_issue.title.clone(),
                positions: positions
                    .into_iter()
                    .map(|position| HistoryEntry {
                        position: stance_cell(position),
                        values: position
                            .stances
                            .iter()
                            .map(|(option, stance)| {
                                let value = match stance {
                                    Stance::Level(level) => {
                                        rounded(scenario.scale.stance(*level).middle())
                                    }
                                    Stance::Value(value) => *value,
                                };
                                (option.to_string(), value)
                            })
                            .collect(),
                        day: position.date.map(|date| day_number(date.date)),
                    })
                    .collect(),
            });
        }
    }
    let levels = StanceLevel::ALL
        .iter()
        .map(|level| LevelValue {
            level: level.as_str(),
            value: scenario.scale.stance(*level).middle(),
        })
        .collect();
    Ok(StanceHistory {
        party: party.map(str::to_owned),
        issue: issue.map(str::to_owned),
        series,
        levels,
    })
}

/// A value to six decimals, so that a middle of two tenths reads 0.3 and not
/// 0.30000000000000004.
fn rounded(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// The first day of the calendar the chart counts from.
pub(crate) const EPOCH: parley_model::Date = parley_model::Date::constant(1970, 1, 1);

/// A date as days since [`EPOCH`].
fn day_number(date: parley_model::Date) -> i32 {
    EPOCH.until(date).map_or(0, |span| span.get_days())
}

/// The history as plain text for a terminal: per party and issue, one line per position
/// (date, importance, confidence, the stance on each option), then its sources. The caller
/// escapes control characters before printing.
pub fn render_terminal(history: &StanceHistory) -> String {
    let mut out = String::new();
    if history.series.is_empty() {
        out.push_str("No position recorded");
        if let Some(party) = &history.party {
            out.push_str(&format!(" for '{party}'"));
        }
        if let Some(issue) = &history.issue {
            out.push_str(&format!(" on '{issue}'"));
        }
        out.push_str(".\n");
        return out;
    }
    for (idx, series) in history.series.iter().enumerate() {
        if idx > 0 {
            out.push('\n');
        }
        let n = series.positions.len();
        let plural = if n == 1 { "" } else { "s" };
        out.push_str(&format!(
            "{} on {} ({n} position{plural})\n",
            series.party_name, series.issue_title
        ));
        for entry in &series.positions {
            let position = &entry.position;
            let date = position.date.as_ref().map_or("undated", |date| date.display.as_str());
            let importance = match &position.importance {
                Some(serde_json::Value::String(level)) => level.clone(),
                Some(other) => format!("weight {other}"),
                None => "importance unknown".to_owned(),
            };
            let stances: Vec<String> = position
                .stances
                .iter()
                .map(|(option, stance)| match stance {
                    serde_json::Value::String(level) => format!("{option} {level}"),
                    other => format!("{option} {other}"),
                })
                .collect();
            let visibility = if position.visibility == "public" {
                String::new()
            } else {
                format!(" [{}]", position.visibility)
            };
            out.push_str(&format!(
                "  {date:<12} {importance}, {} · {}{visibility}\n",
                position.confidence,
                stances.join(", ")
            ));
            if !position.cites.is_empty() {
                out.push_str(&format!("               sources: {}\n", position.cites.join("; ")));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let text = r#"
[scenario]
id = "t"
title = "T"

[[parties]]
id = "north"
name = "North"
role = "principal"

[[parties]]
id = "south"
name = "South"
role = "principal"

[[issues]]
id = "border"
title = "Border"
category = "territory"
options = [{ id = "old" }, { id = "new" }]

[[positions]]
party = "north"
issue = "border"
date = 2025-11-21
stances = { new = "acceptable" }

[[positions]]
party = "north"
issue = "border"
date = 2025-11-10
importance = "critical"
stances = { new = "red-line", old = "preferred" }

[[positions]]
party = "south"
issue = "border"
stances = { new = 0.75 }
"#;
        let loaded = parley_model::scenario_file::read_scenario(text);
        loaded.scenario.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics)).into_scenario()
    }

    #[test]
    fn positions_come_in_date_order_with_their_values_on_the_scale() {
        let scenario = scenario();
        let history = build(&scenario, Some("north"), None).unwrap();
        assert_eq!(history.series.len(), 1);
        let dates: Vec<String> = history.series[0]
            .positions
            .iter()
            .map(|entry| entry.position.date.as_ref().unwrap().date.clone())
            .collect();
        assert_eq!(dates, ["2025-11-10", "2025-11-21"]);
        let new: Vec<f64> =
            history.series[0].positions.iter().map(|entry| entry.values["new"]).collect();
        assert_eq!(new, [0.0, 0.7]);
        let all = build(&scenario, None, Some("border")).unwrap();
        assert_eq!(all.series.len(), 2);
        assert_eq!(all.series[1].positions[0].values["new"], 0.75);
        let text = render_terminal(&history);
        assert!(
            text.starts_with("North on Border (2 positions)\n  2025-11-10   critical"),
            "{text}"
        );
    }

    #[test]
    fn unknown_ids_are_named_with_the_nearest() {
        let scenario = scenario();
        assert_eq!(
            build(&scenario, Some("nort"), None).unwrap_err().to_string(),
            "no party 'nort' (did you mean 'north'?)"
        );
        assert_eq!(
            build(&scenario, None, Some("boarder")).unwrap_err().to_string(),
            "no issue 'boarder' (did you mean 'border'?)"
        );
    }
}
