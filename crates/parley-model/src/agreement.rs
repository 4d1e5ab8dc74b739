//! The mediator's working record of a draft round: the parties' columns beside the
//! compromise text, and how much of a text is agreed, by whom and how far ("nothing is agreed
//! until everything is agreed").
//!
//! Every function here reads the scenario it is given: handed a viewer's view
//! ([`crate::access::visible_to`]), it computes nothing from what the viewer may not see.

use crate::scenario::{AgreementKind, Consent, Draft, DraftStatus, Point, Scenario, Settlement};
use crate::validate::ValidScenario;
use crate::{FuzzyDate, Id};

/// How a party's text of a point compares with the compromise's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CellState {
    /// The party's column has no such point.
    Absent,
    /// The same settlement and, where both have words, the same words.
    Same,
    /// Another settlement or other words.
    Differs,
    /// A point the compromise does not have.
    Added,
}

/// One party's text of one point.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Cell<'a> {
    /// The party's point, when its column has one.
    pub point: Option<&'a Point>,
    /// How it compares with the compromise.
    pub state: CellState,
}

/// One row: a point of the compromise (or one that only the parties' columns have), with each
/// column's text of it.
#[derive(Clone, PartialEq, Debug)]
pub struct Row<'a> {
    /// The point's id, shared by the compromise and the columns.
    pub id: &'a Id,
    /// The compromise's point, when it has one.
    pub compromise: Option<&'a Point>,
    /// Each column's text, in the order of [`Columns::columns`].
    pub cells: Vec<Cell<'a>>,
}

/// A draft round: the compromise text and the parties' columns that answer it.
#[derive(Clone, PartialEq, Debug)]
pub struct Columns<'a> {
    /// The compromise text.
    pub compromise: &'a Draft,
    /// The parties' drafts that answer it, in the record's order.
    pub columns: Vec<&'a Draft>,
    /// The compromise's points in its order, then the points only columns have.
    pub rows: Vec<Row<'a>>,
}

impl Columns<'_> {
    /// How many points of each column differ from the compromise (added points included).
    pub fn differences(&self) -> Vec<usize> {
        (0..self.columns.len())
            .map(|column_idx| {
                self.rows
                    .iter()
                    .filter(|row| {
                        matches!(row.cells[column_idx].state, CellState::Differs | CellState::Added)
                    })
                    .count()
            })
            .collect()
    }
}

/// Whether a party's point says what the compromise's says: the same settlement, and the same
/// words where both give words.
fn same(party: &Point, compromise: &Point) -> bool {
    party.issue == compromise.issue
        && party.settlement == compromise.settlement
        && (party.text.trim().is_empty()
            || compromise.text.trim().is_empty()
            || party.text.trim() == compromise.text.trim())
}

/// The round of a draft: of the compromise itself, or of the compromise a column answers.
/// `None` when the scenario has no such draft.
pub fn columns<'a>(scenario: &'a ValidScenario, draft: &Id) -> Option<Columns<'a>> {
    let record: &'a Scenario = scenario.scenario();
    let named = record.drafts.iter().find(|candidate| &candidate.id == draft)?;
    let compromise = match &named.answers {
        Some(answers) => record.drafts.iter().find(|candidate| &candidate.id == answers)?,
        None => named,
    };
    let columns: Vec<&Draft> = record
        .drafts
        .iter()
        .filter(|candidate| candidate.answers.as_ref() == Some(&compromise.id))
        .collect();
    let mut rows: Vec<Row<'a>> = compromise
        .points
        .iter()
        .map(|point| Row {
            id: &point.id,
            compromise: Some(point),
            cells: columns
                .iter()
                .map(|column| {
                    let found = column.points.iter().find(|candidate| candidate.id == point.id);
                    Cell {
                        point: found,
                        state: match found {
                            None => CellState::Absent,
                            Some(found) if same(found, point) => CellState::Same,
                            Some(_) => CellState::Differs,
                        },
                    }
                })
                .collect(),
        })
        .collect();
    for column in &columns {
        for point in &column.points {
            if rows.iter().any(|row| row.id == &point.id) {
                continue;
            }
            let cells = columns
                .iter()
                .map(|other| {
                    let found = other.points.iter().find(|candidate| candidate.id == point.id);
                    Cell {
                        point: found,
                        state: if found.is_some() { CellState::Added } else { CellState::Absent },
                    }
                })
                .collect();
            rows.push(Row { id: &point.id, compromise: None, cells });
        }
    }
    Some(Columns { compromise, columns, rows })
}

/// One party's agreement as it counts: the furthest it went (final over ad referendum), to
/// the point or to the whole draft.
#[derive(Clone, PartialEq, Debug)]
pub struct PartyAgreement {
    /// The party.
    pub party: Id,
    /// Ad referendum or final.
    pub kind: AgreementKind,
    /// When, when known.
    pub date: Option<FuzzyDate>,
    /// Whether it counts through the party's agreement to the whole draft.
    pub whole: bool,
    /// Whether a source gives it or the analyst reads or assumes it.
    pub basis: crate::Basis,
}

/// How far a point is agreed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Agreed {
    /// By every party whose consent the point needs.
    ByAll,
    /// By some parties.
    BySome,
    /// By none.
    ByNone,
}

impl Agreed {
    /// The keyword used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Agreed::ByAll => "all",
            Agreed::BySome => "some",
            Agreed::ByNone => "none",
        }
    }
}

/// One point of a draft and who agreed to it.
#[derive(Clone, PartialEq, Debug)]
pub struct PointAgreement<'a> {
    /// The point.
    pub point: &'a Point,
    /// The parties whose consent it needs: those whose consent is required on its issue
    /// (or on every issue, for a point that names none).
    pub needed: Vec<Id>,
    /// The parties that agreed, in the scenario's order of parties.
    pub agreed: Vec<PartyAgreement>,
    /// How far it is agreed.
    pub state: Agreed,
}

/// Whether a draft's package stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Package {
    /// Every consenting party accepted the whole draft for good, and no brackets are open.
    Stands,
    /// Every consenting party accepted the whole draft, some only ad referendum, and no
    /// brackets are open.
    Provisional,
    /// Not every consenting party accepted the whole draft, or brackets are open: nothing is
    /// agreed yet.
    Open,
}

impl Package {
    /// The keyword used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Package::Stands => "stands",
            Package::Provisional => "provisional",
            Package::Open => "open",
        }
    }
}

/// How much of a draft is agreed.
#[derive(Clone, PartialEq, Debug)]
pub struct DraftAgreement<'a> {
    /// The parties whose consent a deal needs.
    pub consenting: Vec<Id>,
    /// The parties that accepted the whole draft.
    pub whole: Vec<PartyAgreement>,
    /// Each described point.
    pub points: Vec<PointAgreement<'a>>,
    /// The points that keep bracketed alternatives.
    pub open_brackets: Vec<&'a Id>,
    /// Whether the package stands.
    pub package: Package,
}

/// The furthest agreement of each party to the whole draft or (with `point`) to the point, in
/// the order of the scenario's parties.
fn furthest(record: &Scenario, draft: &Draft, point: Option<&Id>) -> Vec<PartyAgreement> {
    record
        .parties
        .iter()
        .filter_map(|party| {
            draft
                .agreements
                .iter()
                .filter(|agreement| {
                    agreement.party == party.id
                        && (agreement.point.is_none() || agreement.point.as_ref() == point)
                })
                .map(|agreement| PartyAgreement {
                    party: party.id.clone(),
                    kind: agreement.kind,
                    date: agreement.date,
                    whole: agreement.point.is_none(),
                    basis: agreement.basis,
                })
                .max_by_key(|agreement| (agreement.kind, !agreement.whole))
        })
        .collect()
}

/// How much of a draft is agreed, by whom and how far.
pub fn draft_agreement<'a>(scenario: &ValidScenario, draft: &'a Draft) -> DraftAgreement<'a> {
    let record = scenario.scenario();
    let consenting: Vec<Id> = record
        .parties
        .iter()
        .filter(|party| party.consent.is_required_anywhere())
        .map(|party| party.id.clone())
        .collect();
    let whole = furthest(record, draft, None);
    let points: Vec<PointAgreement<'a>> = draft
        .points
        .iter()
        .map(|point| {
            let needed: Vec<Id> = record
                .parties
                .iter()
                .filter(|party| match &point.issue {
                    Some(issue) => party.consent.is_required_on(issue),
                    None => party.consent == Consent::Required,
                })
                .map(|party| party.id.clone())
                .collect();
            let agreed = furthest(record, draft, Some(&point.id));
            let n_needed_agreed = needed
                .iter()
                .filter(|party| agreed.iter().any(|agreement| &&agreement.party == party))
                .count();
            let state = if !needed.is_empty() && n_needed_agreed == needed.len() {
                Agreed::ByAll
            } else if agreed.is_empty() {
                Agreed::ByNone
            } else {
                Agreed::BySome
            };
            PointAgreement { point, needed, agreed, state }
        })
        .collect();
    let open_brackets: Vec<&Id> = draft
        .points
        .iter()
        .filter(|point| matches!(point.settlement, Settlement::Bracketed(_)))
        .map(|point| &point.id)
        .collect();
    let accepted = |kind: Option<AgreementKind>| {
        consenting.iter().all(|party| {
            whole.iter().any(|agreement| {
                &agreement.party == party && kind.is_none_or(|kind| agreement.kind == kind)
            })
        })
    };
    let package = if consenting.is_empty() || !open_brackets.is_empty() || !accepted(None) {
        Package::Open
    } else if accepted(Some(AgreementKind::Final)) {
        Package::Stands
    } else {
        Package::Provisional
    };
    DraftAgreement { consenting, whole, points, open_brackets, package }
}

/// An issue that agreed points settle, fixed to their option.
#[derive(Clone, PartialEq, Debug)]
pub struct Fixed {
    /// The issue.
    pub issue: Id,
    /// The option the points settle it on.
    pub option: Id,
    /// The drafts and points that settle it, agreed by every party whose consent they need.
    pub points: Vec<(Id, Id)>,
    /// `Final` when every one of those agreements is final, else `AdReferendum`.
    pub kind: AgreementKind,
}

/// The scenario with the provisionally agreed points taken as fixed, and what remains.
#[derive(Clone, Debug)]
pub struct KeptAgreed {
    /// The scenario with each fixed issue narrowed to its agreed option: stances on the
    /// other options are left out, and a draft's point on one of them is left unspecified
    /// (its brackets keep the agreed option only, when they hold it).
    pub scenario: ValidScenario,
    /// The fixed issues, in the scenario's order.
    pub fixed: Vec<Fixed>,
    /// The issues that remain to negotiate.
    pub remaining: Vec<Id>,
}

/// Why the agreed points cannot be taken as fixed.
#[derive(Clone, PartialEq, Debug, thiserror::Error)]
pub enum KeepAgreedError {
    /// Two agreed points settle one issue on different options: the message names both.
    #[error("{0}")]
    Conflict(String),
    /// The narrowed scenario is not valid.
    #[error("the scenario with the agreed points fixed is not valid: {0}")]
    Invalid(String),
}

/// The scenario with each issue that a point agreed by every party whose consent it needs
/// (ad referendum or final) settles on one option fixed to that option, in the drafts that
/// are not superseded. A continuous issue is not fixed.
pub fn keep_agreed(scenario: &ValidScenario) -> Result<KeptAgreed, KeepAgreedError> {
    let record = scenario.scenario();
    let mut fixed: Vec<Fixed> = Vec::new();
    for draft in record.drafts.iter().filter(|draft| draft.status != DraftStatus::Superseded) {
        for agreement in draft_agreement(scenario, draft).points {
            let point = agreement.point;
            let (Agreed::ByAll, Some(issue), Settlement::Option(option)) =
                (agreement.state, &point.issue, &point.settlement)
            else {
                continue;
            };
            if record
                .issues
                .iter()
                .any(|candidate| &candidate.id == issue && candidate.range.is_some())
            {
                continue;
            }
            let kind = agreement
                .agreed
                .iter()
                .filter(|party| agreement.needed.contains(&party.party))
                .map(|party| party.kind)
                .min()
                .unwrap_or(AgreementKind::AdReferendum);
            match fixed.iter_mut().find(|fixed| &fixed.issue == issue) {
                Some(known) if &known.option != option => {
                    let (first_draft, first_point) = known.points[0].clone();
                    return Err(KeepAgreedError::Conflict(format!(
                        "issue '{issue}' is agreed on '{}' (draft '{first_draft}', point '{first_point}') and on '{option}' (draft '{}', point '{}'), expected one option",
                        known.option, draft.id, point.id
                    )));
                }
                Some(known) => {
                    known.points.push((draft.id.clone(), point.id.clone()));
                    known.kind = known.kind.min(kind);
                }
                None => fixed.push(Fixed {
                    issue: issue.clone(),
                    option: option.clone(),
                    points: vec![(draft.id.clone(), point.id.clone())],
                    kind,
                }),
            }
        }
    }
    let option_of = |issue: &Id| {
        fixed.iter().find(|fixed| &fixed.issue == issue).map(|fixed| fixed.option.clone())
    };
    let mut narrowed = record.clone();
    for issue in &mut narrowed.issues {
        if let Some(option) = option_of(&issue.id) {
            issue.options.retain(|candidate| candidate.id == option);
        }
    }
    for position in &mut narrowed.positions {
        if let Some(option) = option_of(&position.issue) {
            position.stances.retain(|(candidate, _)| candidate == &option);
        }
    }
    for draft in &mut narrowed.drafts {
        for point in &mut draft.points {
            let Some(option) = point.issue.as_ref().and_then(option_of) else { continue };
            point.settlement = match &point.settlement {
                Settlement::Option(candidate) if candidate != &option => Settlement::Unspecified,
                Settlement::Bracketed(options) if options.contains(&option) => {
                    Settlement::Option(option)
                }
                Settlement::Bracketed(_) => Settlement::Unspecified,
                settlement => settlement.clone(),
            };
        }
    }
    let (narrowed, _) = ValidScenario::new(narrowed).map_err(|diagnostics| {
        KeepAgreedError::Invalid(
            diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.is_error())
                .map(|diagnostic| diagnostic.render("scenario"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let remaining = record
        .issues
        .iter()
        .filter(|issue| option_of(&issue.id).is_none())
        .map(|issue| issue.id.clone())
        .collect();
    fixed.sort_by_key(|fixed| record.issues.iter().position(|issue| issue.id == fixed.issue));
    Ok(KeptAgreed { scenario: narrowed, fixed, remaining })
}

#[cfg(test)]
pub(crate) mod tests;
