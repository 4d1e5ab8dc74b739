//! Changes to a record: what one event of an append-only log holds. A change imports a whole
//! scenario, adds or replaces entities (by id; positions by party, issue and date; constraint
//! utilities by party), or removes one. It travels as a kind and a payload in the scenario file's own format, so that the log
//! reads like the files. [`apply`] merges a change into a scenario; the caller validates the
//! result and refuses the change when it breaks an invariant, so the record stays valid.

use crate::Id;
use crate::diagnostic::{Diagnostic, DiagnosticKind, FieldPath};
use crate::scenario::Scenario;
use crate::scenario_file::{
    Fragment, read_fragment, read_scenario, write_fragment, write_scenario,
};

/// The collections whose entities a change can remove, by id (a constraint utility by its
/// party's id).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Collection {
    /// `sources`.
    Sources,
    /// `parties`.
    Parties,
    /// `issues`.
    Issues,
    /// `tracks`.
    Tracks,
    /// `meetings`.
    Meetings,
    /// `drafts`.
    Drafts,
    /// `claims`.
    Claims,
    /// `constraint_utilities`, each named by its party.
    ConstraintUtilities,
}

impl Collection {
    /// All collections.
    pub const ALL: [Collection; 8] = [
        Collection::Sources,
        Collection::Parties,
        Collection::Issues,
        Collection::Tracks,
        Collection::Meetings,
        Collection::Drafts,
        Collection::Claims,
        Collection::ConstraintUtilities,
    ];

    /// The collection's key in files and paths.
    pub fn as_str(self) -> &'static str {
        match self {
            Collection::Sources => "sources",
            Collection::Parties => "parties",
            Collection::Issues => "issues",
            Collection::Tracks => "tracks",
            Collection::Meetings => "meetings",
            Collection::Drafts => "drafts",
            Collection::Claims => "claims",
            Collection::ConstraintUtilities => "constraint_utilities",
        }
    }

    /// Parses a collection's key.
    pub fn parse(text: &str) -> Result<Collection, String> {
        crate::values::keyword_lookup(text, &Collection::ALL, Collection::as_str)
    }
}

/// One change to a record.
#[derive(Clone, PartialEq, Debug)]
pub enum Change {
    /// Replaces the whole record.
    Import(Scenario),
    /// Adds the fragment's entities, replacing those with the same ids (positions with the same
    /// party, issue and date; constraint utilities with the same party), and its header and
    /// scale when it has them.
    Upsert(Fragment),
    /// Removes an entity.
    Remove {
        /// Its collection.
        collection: Collection,
        /// Its id (for a constraint utility, its party's).
        id: Id,
    },
}

impl Change {
    /// The change's kind as the log stores it: `import`, `upsert` or `remove`.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Import(_) => "import",
            Change::Upsert(_) => "upsert",
            Change::Remove { .. } => "remove",
        }
    }

    /// The change's payload as the log stores it: TOML in the scenario file's format.
    pub fn to_payload(&self) -> String {
        match self {
            Change::Import(scenario) => write_scenario(scenario),
            Change::Upsert(fragment) => write_fragment(fragment),
            Change::Remove { collection, id } => {
                let mut table = toml::Table::new();
                table.insert(
                    "collection".to_owned(),
                    toml::Value::String(collection.as_str().to_owned()),
                );
                table.insert("id".to_owned(), toml::Value::String(id.to_string()));
                toml::to_string(&table).expect("a table of two strings serializes")
            }
        }
    }

    /// Reads a change back from its kind and payload.
    pub fn from_payload(kind: &str, payload: &str) -> Result<Change, Vec<Diagnostic>> {
        let error = |path: FieldPath, message: String| {
            vec![Diagnostic::error(DiagnosticKind::Shape, path, message)]
        };
        match kind {
            "import" => {
                let loaded = read_scenario(payload);
                match loaded.scenario {
                    Some(scenario) => Ok(Change::Import(scenario.into_scenario())),
                    None => Err(loaded.diagnostics),
                }
            }
            "upsert" => read_fragment(payload).map(Change::Upsert),
            "remove" => {
                let table: toml::Table = toml::from_str(payload).map_err(|parse_error| {
                    error(FieldPath::root(), parse_error.message().to_owned())
                })?;
                let text = |key: &str| table.get(key).and_then(toml::Value::as_str);
                let collection = text("collection")
                    .ok_or_else(|| {
                        error(FieldPath::root().key("collection"), "missing collection".to_owned())
                    })
                    .and_then(|collection| {
                        Collection::parse(collection)
                            .map_err(|message| error(FieldPath::root().key("collection"), message))
                    })?;
                let id = text("id")
                    .ok_or_else(|| error(FieldPath::root().key("id"), "missing id".to_owned()))
                    .and_then(|id| {
                        Id::parse(id).map_err(|message| error(FieldPath::root().key("id"), message))
                    })?;
                Ok(Change::Remove { collection, id })
            }
            other => Err(error(
                FieldPath::root(),
                format!("unknown change kind '{other}', expected import, upsert or remove"),
            )),
        }
    }
}

/// Puts each new entity in place of the one with the same key, or at the end.
fn upsert<T: Clone, K: PartialEq>(target: &mut Vec<T>, new: &[T], key: impl Fn(&T) -> K) {
    for entity in new {
        match target.iter().position(|existing| key(existing) == key(entity)) {
            Some(index) => target[index] = entity.clone(),
            None => target.push(entity.clone()),
        }
    }
}

/// The scenario after a change. The result is not validated: the caller validates it and
/// refuses the change when it has errors.
pub fn apply(scenario: &Scenario, change: &Change) -> Scenario {
    let mut res = scenario.clone();
    match change {
        Change::Import(imported) => return imported.clone(),
        Change::Upsert(fragment) => {
            let new = &fragment.scenario;
            if fragment.has_header {
                res.id = new.id.clone();
                res.title = new.title.clone();
                res.description = new.description.clone();
                res.as_of = new.as_of;
            }
            if fragment.has_scale {
                res.scale = new.scale.clone();
            }
            upsert(&mut res.sources, &new.sources, |source| source.id.clone());
            upsert(&mut res.parties, &new.parties, |party| party.id.clone());
            upsert(&mut res.issues, &new.issues, |issue| issue.id.clone());
            upsert(&mut res.tracks, &new.tracks, |track| track.id.clone());
            upsert(&mut res.meetings, &new.meetings, |meeting| meeting.id.clone());
            upsert(&mut res.drafts, &new.drafts, |draft| draft.id.clone());
            upsert(&mut res.positions, &new.positions, |position| {
                (
                    position.party.clone(),
                    position.issue.clone(),
                    position.date.map(|date| date.date),
                )
            });
            upsert(&mut res.constraint_utilities, &new.constraint_utilities, |utility| {
                utility.party.clone()
            });
            upsert(&mut res.claims, &new.claims, |claim| claim.id.clone());
        }
        Change::Remove { collection, id } => match collection {
            Collection::Sources => res.sources.retain(|source| &source.id != id),
            Collection::Parties => res.parties.retain(|party| &party.id != id),
            Collection::Issues => res.issues.retain(|issue| &issue.id != id),
            Collection::Tracks => res.tracks.retain(|track| &track.id != id),
            Collection::Meetings => res.meetings.retain(|meeting| &meeting.id != id),
            Collection::Drafts => res.drafts.retain(|draft| &draft.id != id),
            Collection::Claims => res.claims.retain(|claim| &claim.id != id),
            Collection::ConstraintUtilities => {
                res.constraint_utilities.retain(|utility| &utility.party != id)
            }
        },
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::TALKS_2025_TOML;
    use crate::validate::validate;

    fn talks() -> Scenario {
        read_scenario(TALKS_2025_TOML).scenario.unwrap().into_scenario()
    }

    fn upsert_of(text: &str) -> Change {
        Change::Upsert(read_fragment(text).unwrap())
    }

    #[test]
    fn every_kind_of_change_round_trips_through_its_payload() {
        let changes = [
            Change::Import(talks()),
            upsert_of(
                "[[claims]]\nid = \"c\"\nclaimant = \"russia\"\nstatement = \"S\"\nstatus = \"unverified\"\n",
            ),
            upsert_of("[scenario]\nid = \"t\"\ntitle = \"T\"\n\n[scale]\nbasis = \"reported\"\n"),
            Change::Remove {
                collection: Collection::Meetings,
                id: Id::parse("florida-round").unwrap(),
            },
        ];
        for change in changes {
            let back = Change::from_payload(change.kind(), &change.to_payload()).unwrap();
            assert_eq!(back, change, "{}", change.to_payload());
        }
    }

    #[test]
    fn an_upsert_replaces_by_id_and_adds_the_rest() {
        let change = upsert_of(
            "[[parties]]\nid = \"ireland\"\nname = \"Republic of Ireland\"\nrole = \"supporter\"\n\n[[parties]]\nid = \"turkey\"\nname = \"Turkey\"\nrole = \"observer\"\n",
        );
        let after = apply(&talks(), &change);
        assert_eq!(after.parties.len(), talks().parties.len() + 1);
        let ireland = after.parties.iter().find(|party| party.id.as_str() == "ireland").unwrap();
        assert_eq!(ireland.name, "Republic of Ireland");
        assert!(validate(&after).iter().all(|diagnostic| !diagnostic.is_error()));
    }

    #[test]
    fn a_new_position_on_another_date_is_added_and_one_on_the_same_date_replaced() {
        let base = talks();
        let dated = "[[positions]]\nparty = \"russia\"\nissue = \"nato\"\ndate = 2025-12-01\nstances = { keep = \"red-line\" }\n";
        let once = apply(&base, &upsert_of(dated));
        assert_eq!(once.positions.len(), base.positions.len() + 1);
        let twice = apply(&once, &upsert_of(&dated.replace("red-line", "objection")));
        assert_eq!(twice.positions.len(), once.positions.len());
    }

    #[test]
    fn a_constraint_utility_is_upserted_and_removed_by_its_party() {
        // A party of the built-in scenario that records no importances or stances.
        let base = talks();
        let party = base
            .parties
            .iter()
            .find(|party| {
                base.positions.iter().all(|position| {
                    position.party != party.id
                        || (position.importance.is_none() && position.stances.is_empty())
                })
            })
            .map(|party| party.id.clone())
            .expect("a party with no additive utility");
        let utility = |value: f64| {
            upsert_of(&format!(
                "[[constraint_utilities]]\nparty = \"{party}\"\nmax_utility = 4\nconstraints = [{{ value = {value}, includes = [] }}]\n"
            ))
        };
        let once = apply(&base, &utility(1.0));
        assert_eq!(once.constraint_utilities.len(), 1);
        assert!(validate(&once).iter().all(|diagnostic| !diagnostic.is_error()));
        let twice = apply(&once, &utility(3.0));
        assert_eq!(twice.constraint_utilities.len(), 1);
        assert_eq!(twice.constraint_utilities[0].constraints[0].value, 3.0);
        let removal =
            Change::Remove { collection: Collection::ConstraintUtilities, id: party.clone() };
        let back = Change::from_payload(removal.kind(), &removal.to_payload()).unwrap();
        assert_eq!(back, removal);
        assert_eq!(apply(&twice, &removal), base);
        let upsert = utility(2.0);
        assert_eq!(Change::from_payload(upsert.kind(), &upsert.to_payload()).unwrap(), upsert);
    }

    #[test]
    fn a_change_that_breaks_a_reference_is_caught_by_validation() {
        let removed =
            Change::Remove { collection: Collection::Parties, id: Id::parse("russia").unwrap() };
        let after = apply(&talks(), &removed);
        let errors: Vec<String> =
            validate(&after).iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
        assert!(errors.iter().any(|message| message == "unknown party 'russia'"), "{errors:?}");
    }

    #[test]
    fn a_bad_payload_names_its_line_and_column() {
        let errors = Change::from_payload(
            "upsert",
            "[[parties]]\nid = \"x\"\nname = 3\nrole = \"observer\"\n",
        )
        .unwrap_err();
        assert_eq!(
            errors[0].render("payload"),
            "payload:3:8: error[shape]: invalid type: integer `3`, expected a string (at parties[0].name)"
        );
        let errors = Change::from_payload("rename", "").unwrap_err();
        assert!(errors[0].message.contains("unknown change kind 'rename'"));
    }
}
