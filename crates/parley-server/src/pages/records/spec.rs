//! What each record form asks, field by field. An input's name is the path of its field in
//! the entity, as the scenario file and the API write it (`points[1].brackets`,
//! `date.precision`), so a problem the model finds at a path is shown at the input of that
//! name.

use parley_model::access::Viewer;
use parley_model::change::Collection;
use parley_model::scenario::{
    AgreementKind, Category, ClaimStatus, DraftStatus, Fate, MeetingStatus, Role, Scenario, Stage,
};
use parley_model::stance::{ImportanceLevel, StanceLevel};
use parley_model::{Basis, DatePrecision, Id, PlacePrecision};

use crate::entities::Kind;

/// The kinds of record these forms write.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RecordKind {
    Position,
    Source,
    Party,
    Issue,
    Track,
    Meeting,
    Draft,
    Claim,
}

impl RecordKind {
    /// The kinds with ids, which a form can change once recorded.
    pub(crate) const ALL: [RecordKind; 7] = [
        RecordKind::Source,
        RecordKind::Party,
        RecordKind::Issue,
        RecordKind::Track,
        RecordKind::Meeting,
        RecordKind::Draft,
        RecordKind::Claim,
    ];

    /// The collection of a kind with ids (not positions, keyed by party, issue and date).
    pub(crate) fn collection(self) -> Option<Collection> {
        Some(match self {
            RecordKind::Position => return None,
            RecordKind::Source => Collection::Sources,
            RecordKind::Party => Collection::Parties,
            RecordKind::Issue => Collection::Issues,
            RecordKind::Track => Collection::Tracks,
            RecordKind::Meeting => Collection::Meetings,
            RecordKind::Draft => Collection::Drafts,
            RecordKind::Claim => Collection::Claims,
        })
    }

    /// The API's collection.
    pub(crate) fn api_kind(self) -> Kind {
        self.collection().map_or(Kind::Positions, Kind::Entity)
    }

    /// The collection's key, in the forms' addresses as in the API's.
    pub(crate) fn key(self) -> &'static str {
        self.api_kind().key()
    }

    pub(crate) fn from_key(key: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().chain([RecordKind::Position]).find(|kind| kind.key() == key)
    }

    /// One record, for headings and messages.
    pub(crate) fn singular(self) -> &'static str {
        match self {
            RecordKind::Position => "position",
            RecordKind::Source => "source",
            RecordKind::Party => "party",
            RecordKind::Issue => "issue",
            RecordKind::Track => "track",
            RecordKind::Meeting => "meeting",
            RecordKind::Draft => "draft",
            RecordKind::Claim => "claim",
        }
    }

    pub(crate) fn plural_title(self) -> &'static str {
        match self {
            RecordKind::Position => "Positions",
            RecordKind::Source => "Sources",
            RecordKind::Party => "Parties",
            RecordKind::Issue => "Issues",
            RecordKind::Track => "Tracks",
            RecordKind::Meeting => "Meetings",
            RecordKind::Draft => "Drafts",
            RecordKind::Claim => "Claims",
        }
    }

    /// Whether a viewer may record a new one (the API decides again when it is sent).
    pub(crate) fn may_create(self, viewer: &Viewer) -> bool {
        match viewer {
            Viewer::Mediator => true,
            Viewer::Observer => false,
            Viewer::Party(_) => {
                !matches!(self, RecordKind::Party | RecordKind::Issue | RecordKind::Track)
            }
        }
    }
}

/// How an input takes its value.
#[derive(Clone, Debug)]
pub(crate) enum Control {
    Text,
    /// A text with suggestions (a stance's level), sent as a number when it reads as one.
    Suggest(Vec<String>),
    /// Pairs of numbers, a pair a line (`10 1.0`): a curve.
    Pairs,
    Date,
    /// A number: sent as one when it reads as one, as the text typed otherwise (the reader
    /// then says what was expected).
    Number,
    Area,
    /// One of `(value, label)`.
    Select(Vec<(String, String)>),
    /// Any of `(value, label)`: a list.
    Checks(Vec<(String, String)>),
    /// Ids separated by commas: a list (or the one keyword `rest`).
    List,
    /// One item a line: a list.
    Lines,
    /// A value the user cannot change, shown as this text.
    Fixed(String),
}

#[derive(Clone, Debug)]
pub(crate) struct Field {
    /// The path under the enclosing row (or the record).
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) control: Control,
    pub(crate) required: bool,
    pub(crate) hint: Option<String>,
}

impl Field {
    fn req(mut self) -> Field {
        self.required = true;
        self
    }

    fn hint(mut self, hint: &str) -> Field {
        self.hint = Some(hint.to_owned());
        self
    }
}

/// A part of a form.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    Field(Field),
    /// A fieldset of related inputs (a date and its precision): no level of the path.
    Part {
        legend: String,
        items: Vec<Item>,
    },
    /// Repeatable rows: a list of tables (`points`, `cites`).
    Group(Group),
}

#[derive(Clone, Debug)]
pub(crate) struct Group {
    pub(crate) name: String,
    pub(crate) label: String,
    /// One row, in labels: "Point".
    pub(crate) row: String,
    pub(crate) items: Vec<Item>,
    /// The rows a fresh form shows.
    pub(crate) min_rows: usize,
}

fn field(name: &str, label: &str, control: Control) -> Field {
    Field { name: name.to_owned(), label: label.to_owned(), control, required: false, hint: None }
}

fn item(field: Field) -> Item {
    Item::Field(field)
}

fn group(name: &str, label: &str, row: &str, min_rows: usize, items: Vec<Item>) -> Item {
    Item::Group(Group {
        name: name.to_owned(),
        label: label.to_owned(),
        row: row.to_owned(),
        items,
        min_rows,
    })
}

fn part(legend: &str, items: Vec<Item>) -> Item {
    Item::Part { legend: legend.to_owned(), items }
}

fn keywords(words: impl IntoIterator<Item = &'static str>, blank: Option<&str>) -> Control {
    let mut choices: Vec<(String, String)> =
        blank.map(|blank| (String::new(), blank.to_owned())).into_iter().collect();
    choices.extend(words.into_iter().map(|word| (word.to_owned(), word.to_owned())));
    Control::Select(choices)
}

fn bases(blank: &str) -> Control {
    keywords(Basis::ALL.iter().map(|basis| basis.as_str()), Some(blank))
}

fn with_blank(blank: &str, mut choices: Vec<(String, String)>) -> Control {
    choices.insert(0, (String::new(), blank.to_owned()));
    Control::Select(choices)
}

/// What the forms offer to choose from: the caller's view only, so no choice names a record
/// the caller may not see.
pub(crate) struct Choices {
    parties: Vec<(String, String)>,
    /// Parties and their delegates: who may attend a meeting.
    people: Vec<(String, String)>,
    issues: Vec<(String, String)>,
    options: Vec<(String, String)>,
    tracks: Vec<(String, String)>,
    drafts: Vec<(String, String)>,
    claims: Vec<(String, String)>,
    sources: Vec<(String, String)>,
    /// Who may see a record, as the caller may share it.
    visibilities: Vec<(String, String)>,
    /// A delegate's own party, with its name.
    own: Option<(String, String)>,
    mediator: bool,
}

impl Choices {
    pub(crate) fn new(viewer: &Viewer, view: &Scenario) -> Choices {
        let pair = |id: &Id, label: &str| (id.to_string(), label.to_owned());
        let own_party = match viewer {
            Viewer::Party(party) => Some(party),
            Viewer::Mediator | Viewer::Observer => None,
        };
        let sits_on =
            |parties: &[Id]| own_party.is_none_or(|party| parties.iter().any(|id| id == party));
        let mut people = Vec::new();
        for party in &view.parties {
            people.push(pair(&party.id, &party.name));
            for delegate in &party.delegates {
                people.push(pair(&delegate.id, &format!("{} ({})", delegate.name, party.name)));
            }
        }
        let mut options: Vec<(String, String)> = Vec::new();
        // An issue settled by a number has grid points for options, not options of its own:
        // a position gives a curve on it, and no point settles on one.
        for issue in view.issues.iter().filter(|issue| issue.range.is_none()) {
            for option in &issue.options {
                options.push(pair(&option.id, &format!("{}: {}", issue.title, option.label)));
            }
        }
        let mut visibilities = vec![
            ("public".to_owned(), "Public: everyone".to_owned()),
            (
                "private".to_owned(),
                match own_party {
                    Some(_) => "Private: your party and the mediators".to_owned(),
                    None => "Private: its party and the mediators".to_owned(),
                },
            ),
        ];
        visibilities.extend(
            view.tracks.iter().filter(|track| sits_on(&track.parties)).map(|track| {
                (format!("track:{}", track.id), format!("Shared with {}", track.name))
            }),
        );
        Choices {
            parties: view.parties.iter().map(|party| pair(&party.id, &party.name)).collect(),
            people,
            issues: view.issues.iter().map(|issue| pair(&issue.id, &issue.title)).collect(),
            options,
            tracks: view
                .tracks
                .iter()
                .filter(|track| sits_on(&track.parties))
                .map(|track| pair(&track.id, &track.name))
                .collect(),
            drafts: view.drafts.iter().map(|draft| pair(&draft.id, &draft.title)).collect(),
            claims: view
                .claims
                .iter()
                .map(|claim| pair(&claim.id, &format!("{} ({})", claim.statement, claim.claimant)))
                .collect(),
            sources: view.sources.iter().map(|source| pair(&source.id, &source.title)).collect(),
            visibilities,
            own: own_party.map(|party| {
                let name = view
                    .parties
                    .iter()
                    .find(|candidate| &candidate.id == party)
                    .map_or(party.as_str(), |candidate| candidate.name.as_str());
                (party.to_string(), name.to_owned())
            }),
            mediator: matches!(viewer, Viewer::Mediator),
        }
    }

    fn cites(&self, min_rows: usize) -> Item {
        group(
            "cites",
            "Citations",
            "Citation",
            min_rows,
            vec![
                item(field(
                    "source",
                    "Source",
                    with_blank("choose a source", self.sources.clone()),
                )),
                item(field("section", "Section", Control::Text)),
                item(field("speaker", "Speaker", Control::Text)),
                item(field("quote", "Quote (a few words)", Control::Text)),
            ],
        )
    }

    fn date(&self, legend: &str) -> Item {
        part(
            legend,
            vec![
                item(field("date.date", "Date", Control::Date)),
                item(field(
                    "date.precision",
                    "Precision of the date",
                    keywords(
                        DatePrecision::ALL.iter().map(|p| p.as_str()),
                        Some("exact (default)"),
                    ),
                )),
                item(field("date.basis", "Basis of the date", bases("reported (default)"))),
            ],
        )
    }

    fn place(&self) -> Item {
        part(
            "Place",
            vec![
                item(field("place.name", "Place", Control::Text)),
                item(field("place.region", "Region", Control::Text)),
                item(field("place.country", "Country", Control::Text)),
                item(field(
                    "place.precision",
                    "Precision of the place",
                    keywords(
                        PlacePrecision::ALL.iter().map(|p| p.as_str()),
                        Some("exact (default)"),
                    ),
                )),
            ],
        )
    }

    fn condition(&self) -> Item {
        part(
            "On condition",
            vec![
                item(field("condition.text", "Condition", Control::Text)),
                item(field(
                    "condition.party",
                    "Party that sets the condition",
                    with_blank("no condition", self.parties.clone()),
                )),
            ],
        )
    }

    fn visibility(&self) -> Item {
        item(field("visibility", "Who may see it", Control::Select(self.visibilities.clone())))
    }

    /// The id of a new record: a mediator may choose it; otherwise the server does.
    fn id(&self, editing: Option<&str>) -> Option<Item> {
        match editing {
            Some(id) => Some(item(field("id", "Id", Control::Fixed(id.to_owned())))),
            None if self.mediator => Some(item(
                field("id", "Id", Control::Text)
                    .hint("lowercase letters, digits and dashes; left empty, one is made up"),
            )),
            None => None,
        }
    }

    /// A record's party: a delegate's own, or one a mediator chooses.
    fn party(&self, name: &str, label: &str, blank: Option<&str>) -> Item {
        match &self.own {
            Some((id, shown)) => item(field(name, label, Control::Fixed(shown.clone())).hint(id)),
            None => {
                let control = with_blank(blank.unwrap_or("choose a party"), self.parties.clone());
                let field = field(name, label, control);
                item(if blank.is_none() { field.req() } else { field })
            }
        }
    }

    /// The form of a kind of record; `editing` is the id of the record changed.
    pub(crate) fn spec(&self, kind: RecordKind, editing: Option<&str>) -> Vec<Item> {
        // Positions have no id: they are keyed by party, issue and date.
        let id = if kind == RecordKind::Position { None } else { self.id(editing) };
        let mut items: Vec<Item> = id.into_iter().collect();
        let more = match kind {
            RecordKind::Source => vec![
                item(field("title", "Title", Control::Text).req()),
                item(field("publisher", "Publisher", Control::Text)),
                self.date("Date of the source"),
                item(field("address", "Address (a link or a file)", Control::Text)),
                item(
                    field("sections", "Sections", Control::Lines)
                        .hint("one a line; a citation names one as source#section"),
                ),
            ],
            RecordKind::Party => vec![
                item(field("name", "Name", Control::Text).req()),
                item(
                    field("role", "Role", keywords(Role::ALL.iter().map(|r| r.as_str()), None))
                        .req(),
                ),
                part(
                    "Consent",
                    vec![
                        item(field(
                            "consent",
                            "Its consent is needed",
                            with_blank(
                                "as its role says (default)",
                                vec![
                                    ("required".to_owned(), "for every issue".to_owned()),
                                    ("none".to_owned(), "for no issue".to_owned()),
                                    ("issues".to_owned(), "for the issues ticked".to_owned()),
                                ],
                            ),
                        )),
                        item(field(
                            "consent.issues",
                            "Issues its consent is needed for",
                            Control::Checks(self.issues.clone()),
                        )),
                        item(field(
                            "consent_basis",
                            "Basis of the consent",
                            bases("reported (default)"),
                        )),
                    ],
                ),
                group(
                    "delegates",
                    "Delegates",
                    "Delegate",
                    1,
                    vec![
                        item(field("id", "Id", Control::Text)),
                        item(field("name", "Name", Control::Text)),
                        item(field("title", "Title", Control::Text)),
                        self.cites(1),
                    ],
                ),
                group(
                    "interests",
                    "Interests",
                    "Interest",
                    1,
                    vec![item(field("label", "Interest", Control::Text)), self.cites(1)],
                ),
                part(
                    "Reservation: what no deal is worth to it",
                    vec![
                        item(field("reservation.value", "Value (0 to 1)", Control::Number)),
                        item(field(
                            "reservation.basis",
                            "Basis of the value",
                            bases("reported (default)"),
                        )),
                        item(field("reservation.note", "Note", Control::Text)),
                        group(
                            "reservation.cites",
                            "Citations of the reservation",
                            "Citation",
                            1,
                            match self.cites(1) {
                                Item::Group(group) => group.items,
                                _ => Vec::new(),
                            },
                        ),
                    ],
                ),
                item(
                    field("discount_factor", "Discount factor", Control::Number)
                        .hint("above 0, at most 1: how much less a deal is worth each round"),
                ),
                group(
                    "notes",
                    "Notes",
                    "Note",
                    1,
                    vec![
                        item(field("text", "Note", Control::Area)),
                        self.date("Date of the note"),
                        item(field("basis", "Basis of the note", bases("reported (default)"))),
                        self.cites(1),
                    ],
                ),
                self.cites(1),
            ],
            RecordKind::Issue => vec![
                item(field("title", "Title", Control::Text).req()),
                item(
                    field(
                        "category",
                        "Category",
                        keywords(Category::ALL.iter().map(|c| c.as_str()), None),
                    )
                    .req(),
                ),
                item(field("description", "Description", Control::Area)),
                group(
                    "options",
                    "Options",
                    "Option",
                    3,
                    vec![
                        item(field("id", "Id", Control::Text)),
                        item(field("label", "Label", Control::Text)),
                    ],
                ),
                part(
                    "Range, for an issue settled by a number (instead of options)",
                    vec![
                        item(field("range.lower", "Lowest", Control::Number)),
                        item(field("range.upper", "Highest", Control::Number)),
                        item(field("range.grid", "Grid points", Control::Number)),
                    ],
                ),
                self.cites(1),
            ],
            RecordKind::Track => vec![
                item(field("name", "Name", Control::Text).req()),
                item(field(
                    "parties",
                    "Parties at the table",
                    Control::Checks(self.parties.clone()),
                )),
                item(field(
                    "document",
                    "The draft it works from",
                    with_blank("none", self.drafts.clone()),
                )),
                item(field("description", "Description", Control::Area)),
                self.cites(1),
            ],
            RecordKind::Meeting => vec![
                item(
                    field("track", "Track", with_blank("choose a track", self.tracks.clone()))
                        .req(),
                ),
                item(field("title", "Title", Control::Text)),
                self.date("Date"),
                self.place(),
                item(field("duration_minutes", "Length (minutes)", Control::Number)),
                item(
                    field(
                        "status",
                        "Status",
                        keywords(MeetingStatus::ALL.iter().map(|s| s.as_str()), None),
                    )
                    .req(),
                ),
                item(field("status_basis", "Basis of the status", bases("reported (default)"))),
                self.condition(),
                item(field("attendees", "Attendees", Control::Checks(self.people.clone()))),
                item(field("settled", "Issues settled", Control::Checks(self.issues.clone()))),
                item(field("left_open", "Issues left open", Control::Checks(self.issues.clone()))),
                item(field("summary", "Summary", Control::Area)),
                self.visibility(),
                self.cites(1),
            ],
            RecordKind::Draft => vec![
                item(field("title", "Title", Control::Text).req()),
                self.date("Date"),
                self.party("author", "Author", Some("no author named")),
                item(
                    field(
                        "status",
                        "Status",
                        keywords(DraftStatus::ALL.iter().map(|s| s.as_str()), None),
                    )
                    .req(),
                ),
                item(field("status_basis", "Basis of the status", bases("reported (default)"))),
                item(field(
                    "stage",
                    "Stage",
                    keywords(Stage::ALL.iter().map(|s| s.as_str()), Some("not said")),
                )),
                self.condition(),
                item(field(
                    "parents",
                    "Revises (parent drafts)",
                    Control::Checks(self.drafts.clone()),
                )),
                item(
                    field(
                        "answers",
                        "Answers (a compromise text)",
                        with_blank("none", self.drafts.clone()),
                    )
                    .hint("a party's draft that answers the mediator's text is its column in the round"),
                ),
                item(
                    field("point_count", "Number of points", Control::Number)
                        .hint("all of its points, described below or not"),
                ),
                item(field("summary", "Summary", Control::Area)),
                self.visibility(),
                self.cites(1),
                group(
                    "points",
                    "Points",
                    "Point",
                    2,
                    vec![
                        item(field("id", "Id", Control::Text)),
                        item(field("number", "Number", Control::Number)),
                        item(field("text", "Text", Control::Area)),
                        item(field("issue", "Issue", with_blank("none", self.issues.clone()))),
                        item(field(
                            "option",
                            "Settles on",
                            with_blank("no option", self.options.clone()),
                        )),
                        item(
                            field("brackets", "Bracketed alternatives", Control::List)
                                .hint("option ids separated by commas, instead of one option"),
                        ),
                        self.cites(1),
                    ],
                ),
                group(
                    "lineage",
                    "What became of the parents' points",
                    "Lineage entry",
                    1,
                    vec![
                        item(field(
                            "parent",
                            "Parent",
                            with_blank("choose a parent", self.drafts.clone()),
                        )),
                        item(
                            field("points", "Its points", Control::List)
                                .hint("point ids separated by commas, or rest for all the others"),
                        ),
                        item(field(
                            "fate",
                            "Fate",
                            keywords(Fate::ALL.iter().map(|f| f.as_str()), Some("choose")),
                        )),
                        item(
                            field("into", "Into point", Control::Text)
                                .hint("the id of this draft's point it became"),
                        ),
                        self.cites(1),
                    ],
                ),
                group(
                    "agreements",
                    "Agreements (nothing is agreed until everything is agreed)",
                    "Agreement",
                    1,
                    vec![
                        item(field(
                            "party",
                            "Party that agrees",
                            with_blank("choose a party", self.parties.clone()),
                        )),
                        item(
                            field("point", "Point", Control::Text)
                                .hint("the id of the point agreed; left empty, the whole draft"),
                        ),
                        item(field(
                            "kind",
                            "Kind",
                            keywords(AgreementKind::ALL.iter().map(|k| k.as_str()), Some("choose")),
                        )),
                        self.date("Date of the agreement"),
                        item(field("basis", "Basis", bases("reported (default)"))),
                        // With a blank choice, so that a row left blank is left out.
                        item(field(
                            "visibility",
                            "Who may see it",
                            with_blank("public (default)", self.visibilities.clone()),
                        )),
                        item(field("note", "Note", Control::Area)),
                        self.cites(1),
                    ],
                ),
            ],
            RecordKind::Position => {
                let mut stances: Vec<(String, String)> = Vec::new();
                for (option, label) in &self.options {
                    match stances.iter_mut().find(|(id, _)| id == option) {
                        Some((_, labels)) => labels.push_str(&format!("; {label}")),
                        None => stances.push((option.clone(), label.clone())),
                    }
                }
                let levels: Vec<String> =
                    StanceLevel::ALL.iter().map(|level| level.as_str().to_owned()).collect();
                let mut items = vec![
                    self.party("party", "Party", None),
                    item(
                        field("issue", "Issue", with_blank("choose an issue", self.issues.clone()))
                            .req(),
                    ),
                    self.date("Date of the position"),
                    item(field(
                        "importance",
                        "Importance",
                        keywords(
                            ImportanceLevel::ALL.iter().map(|level| level.as_str()),
                            Some("not said"),
                        ),
                    )),
                    item(
                        field("weight", "Weight", Control::Number)
                            .hint("a number in place of the importance"),
                    ),
                    item(field(
                        "importance_basis",
                        "Basis of the importance",
                        bases("reported (default)"),
                    )),
                    item(field("confidence", "Basis of the stances", bases("reported (default)"))),
                ];
                items.push(part(
                    "Stances: on each option of the issue, a level or a number from 0 to 1",
                    stances
                        .into_iter()
                        .map(|(option, label)| {
                            item(field(
                                &format!("stances.{option}"),
                                &label,
                                Control::Suggest(levels.clone()),
                            ))
                        })
                        .collect(),
                ));
                items.extend([
                    item(
                        field("curve", "Curve, for an issue settled by a number", Control::Pairs)
                            .hint(
                                "one point a line: the number, then the value from 0 to 1 (10 1.0)",
                            ),
                    ),
                    self.condition(),
                    self.visibility(),
                    item(field("note", "Note", Control::Area)),
                    self.cites(1),
                ]);
                items
            }
            RecordKind::Claim => vec![
                self.party("claimant", "Claimant", None),
                item(field("statement", "What is claimed", Control::Area).req()),
                self.date("Date"),
                self.place(),
                item(
                    field(
                        "status",
                        "Status",
                        keywords(ClaimStatus::ALL.iter().map(|s| s.as_str()), None),
                    )
                    .req(),
                ),
                item(field(
                    "disputes",
                    "Disputes the claim",
                    with_blank("none", self.claims.clone()),
                )),
                self.visibility(),
                self.cites(1),
            ],
        };
        items.extend(more);
        items
    }

    /// What a fresh form holds.
    pub(crate) fn defaults(&self, kind: RecordKind) -> Vec<(String, String)> {
        let mut fields = vec![("visibility".to_owned(), "public".to_owned())];
        let status = match kind {
            RecordKind::Meeting => Some("held"),
            RecordKind::Draft => Some("proposed"),
            RecordKind::Claim => Some("unverified"),
            _ => None,
        };
        if let Some(status) = status {
            fields.push(("status".to_owned(), status.to_owned()));
        }
        if let Some((own, _)) = &self.own {
            let name = match kind {
                RecordKind::Draft => Some("author"),
                RecordKind::Position => Some("party"),
                RecordKind::Claim => Some("claimant"),
                _ => None,
            };
            if let Some(name) = name {
                fields.push((name.to_owned(), own.clone()));
            }
        }
        fields
    }
}
