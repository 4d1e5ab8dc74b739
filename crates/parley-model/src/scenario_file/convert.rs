//! Conversion between the file's shapes and the model: reading records every problem with
//! the path of the field at fault and goes on; writing cannot fail.

use toml::value::{Date as TomlDate, Datetime};

use super::dto::*;
use crate::continuous::DEFAULT_GRID;
use crate::diagnostic::{Diagnostic, DiagnosticKind, FieldPath};
use crate::scale::{Interval, Scale};
use crate::scenario::*;
use crate::stance::{Importance, ImportanceLevel, Stance, StanceLevel};
use crate::values::keyword_lookup;
use crate::{Basis, Date, DatePrecision, FuzzyDate, Id, Place, PlacePrecision};

/// Collects the problems found while reading; each reader returns a best-effort value.
pub(crate) struct Reader {
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Reader {
    fn shape(&mut self, path: FieldPath, message: String) {
        self.diagnostics.push(Diagnostic::error(DiagnosticKind::Shape, path, message));
    }

    /// Reports each key a table has that it should not: `what` is the table, `expected`
    /// the keys it may have.
    fn unknown_keys(
        &mut self,
        unknown: &UnknownKeys,
        path: &FieldPath,
        what: &str,
        expected: &str,
    ) {
        for key in unknown.keys() {
            self.shape(
                path.key(key.clone()),
                format!("unknown field `{key}` in {what}, expected {expected}"),
            );
        }
    }

    fn id(&mut self, text: &str, path: FieldPath) -> Id {
        Id::parse(text).unwrap_or_else(|message| {
            self.shape(path, message);
            Id::parse("?").expect("'?' is a valid id")
        })
    }

    fn ids(&mut self, texts: &[String], path: &FieldPath) -> Vec<Id> {
        texts.iter().enumerate().map(|(idx, text)| self.id(text, path.index(idx))).collect()
    }

    fn keyword<T: Copy>(
        &mut self,
        text: &str,
        all: &[T],
        name: fn(T) -> &'static str,
        fallback: T,
        path: FieldPath,
    ) -> T {
        keyword_lookup(text, all, name).unwrap_or_else(|message| {
            self.shape(path, message);
            fallback
        })
    }

    fn basis(&mut self, text: Option<&str>, default: Basis, path: FieldPath) -> Basis {
        match text {
            Some(text) => self.keyword(text, &Basis::ALL, Basis::as_str, default, path),
            None => default,
        }
    }

    fn cites(&mut self, cites: &[CitationDto], path: &FieldPath) -> Vec<Citation> {
        let mut result = Vec::new();
        for (cite_idx, cite) in cites.iter().enumerate() {
            let cite_path = path.index(cite_idx);
            let (source, section, speaker, quote) = match cite {
                CitationDto::Text(text) => match text.split_once('#') {
                    Some((source, section)) => (source, Some(section.to_owned()), None, None),
                    None => (text.as_str(), None, None, None),
                },
                CitationDto::Table { source, section, speaker, quote, unknown } => {
                    self.unknown_keys(
                        unknown,
                        &cite_path,
                        "a citation",
                        "`source`, `section`, `speaker` or `quote`",
                    );
                    (source.as_str(), section.clone(), speaker.clone(), quote.clone())
                }
            };
            let source = self.id(source, cite_path);
            result.push(Citation { source, section, speaker, quote });
        }
        result
    }

    fn condition(&mut self, dto: &Option<ConditionDto>, path: FieldPath) -> Option<Condition> {
        dto.as_ref().map(|condition| Condition {
            text: condition.text.clone(),
            party: self.id(&condition.party, path.key("party")),
        })
    }

    fn date_part(&mut self, part: &DatePartDto, path: &FieldPath) -> Option<(Date, DatePrecision)> {
        match part {
            DatePartDto::Plain(datetime) => match (datetime.date, datetime.time) {
                (Some(date), None) => {
                    match Date::new(date.year as i16, date.month as i8, date.day as i8) {
                        Ok(date) => Some((date, DatePrecision::Exact)),
                        Err(error) => {
                            self.shape(path.clone(), format!("invalid date {datetime}: {error}"));
                            None
                        }
                    }
                }
                _ => {
                    self.shape(
                        path.clone(),
                        format!("expected a date without a time, found {datetime}"),
                    );
                    None
                }
            },
            DatePartDto::Text(text) => {
                let parsed = parse_text_date(text);
                if parsed.is_none() {
                    let message =
                        format!("invalid date '{text}', expected YYYY-MM-DD, YYYY-MM or YYYY");
                    self.shape(path.clone(), message);
                }
                parsed
            }
        }
    }

    pub(crate) fn date(&mut self, date: &DateDto, path: &FieldPath) -> Option<FuzzyDate> {
        let (part, precision, basis) = match date {
            DateDto::Plain(datetime) => (DatePartDto::Plain(*datetime), None, None),
            DateDto::Text(text) => (DatePartDto::Text(text.clone()), None, None),
            DateDto::Detailed(detailed) => {
                (detailed.date.clone(), detailed.precision.as_deref(), detailed.basis.as_deref())
            }
        };
        let (date, implied_precision) = self.date_part(&part, path)?;
        let precision = match precision {
            Some(text) => {
                let precision_path = path.key("precision");
                self.keyword(
                    text,
                    &DatePrecision::ALL,
                    DatePrecision::as_str,
                    implied_precision,
                    precision_path,
                )
            }
            None => implied_precision,
        };
        let basis = self.basis(basis, Basis::Reported, path.key("basis"));
        Some(FuzzyDate { date, precision, basis })
    }

    fn optional_date(&mut self, date: &Option<DateDto>, path: FieldPath) -> Option<FuzzyDate> {
        date.as_ref().and_then(|date| self.date(date, &path))
    }

    fn place(&mut self, place: &Option<PlaceDto>, path: FieldPath) -> Option<Place> {
        let place = place.as_ref()?;
        let precision = match &place.precision {
            Some(text) => self.keyword(
                text,
                &PlacePrecision::ALL,
                PlacePrecision::as_str,
                PlacePrecision::Exact,
                path.key("precision"),
            ),
            None => PlacePrecision::Exact,
        };
        Some(Place {
            name: place.name.clone(),
            region: place.region.clone(),
            country: place.country.clone(),
            precision,
        })
    }

    fn visibility(
        &mut self,
        visibility: &Option<VisibilityDto>,
        default: Visibility,
        path: FieldPath,
    ) -> Visibility {
        match visibility {
            None => default,
            Some(VisibilityDto::Keyword(keyword)) => match keyword.as_str() {
                text if text == VISIBILITY_KEYWORDS[0] => Visibility::Public,
                text if text == VISIBILITY_KEYWORDS[1] => Visibility::Private,
                _ => {
                    let suggestion = crate::suggest::did_you_mean(keyword, VISIBILITY_KEYWORDS);
                    let message = format!(
                        "unknown visibility '{keyword}'{suggestion}, expected \"public\", \"private\" or {{ track = \"ID\" }}"
                    );
                    self.shape(path, message);
                    default
                }
            },
            Some(VisibilityDto::Track { track, unknown }) => {
                self.unknown_keys(unknown, &path, "a visibility", "`track`");
                Visibility::Track(self.id(track, path.key("track")))
            }
        }
    }

    pub(crate) fn header(&mut self, header: &HeaderDto, scenario: &mut Scenario) {
        let path = FieldPath::root().key("scenario");
        scenario.id = header.id.clone();
        scenario.title = header.title.clone();
        scenario.description = header.description.clone();
        scenario.as_of = self.optional_date(&header.as_of, path.key("as_of"));
    }

    pub(crate) fn scale(&mut self, dto: &ScaleDto) -> Scale {
        let path = FieldPath::root().key("scale");
        let basis = self.basis(dto.basis.as_deref(), Basis::Assumed, path.key("basis"));
        let mut scale = Scale { basis, ..Scale::default() };
        for (name, [low, high]) in &dto.stances.0 {
            let interval = Interval::new(*low, *high);
            match name.as_str() {
                "unknown" => scale.unknown_stance = interval,
                _ => match StanceLevel::parse(name) {
                    Ok(level) => scale.stances[level as usize] = interval,
                    Err(message) => self.shape(path.key("stances").key(name.clone()), message),
                },
            }
        }
        for (name, [low, high]) in &dto.importances.0 {
            let interval = Interval::new(*low, *high);
            match name.as_str() {
                "unknown" => scale.unknown_importance = interval,
                _ => match ImportanceLevel::parse(name) {
                    Ok(level) => scale.importances[level as usize] = interval,
                    Err(message) => self.shape(path.key("importances").key(name.clone()), message),
                },
            }
        }
        scale
    }

    pub(crate) fn source(&mut self, dto: &SourceDto, path: &FieldPath) -> Source {
        Source {
            id: self.id(&dto.id, path.key("id")),
            title: dto.title.clone(),
            publisher: dto.publisher.clone(),
            date: self.optional_date(&dto.date, path.key("date")),
            address: dto.address.clone(),
            sections: dto.sections.clone(),
        }
    }

    pub(crate) fn party(&mut self, dto: &PartyDto, path: &FieldPath) -> Party {
        let role =
            self.keyword(&dto.role, Role::ALL, Role::as_str, Role::Observer, path.key("role"));
        let consent = match &dto.consent {
            None if role == Role::Principal => Consent::Required,
            None => Consent::NotRequired,
            Some(ConsentDto::Keyword(keyword)) => match keyword.as_str() {
                text if text == CONSENT_KEYWORDS[0] => Consent::Required,
                text if text == CONSENT_KEYWORDS[1] => Consent::NotRequired,
                _ => {
                    let suggestion = crate::suggest::did_you_mean(keyword, CONSENT_KEYWORDS);
                    let message = format!(
                        "unknown consent '{keyword}'{suggestion}, expected \"required\", \"none\" or {{ issues = [...] }}"
                    );
                    self.shape(path.key("consent"), message);
                    Consent::NotRequired
                }
            },
            Some(ConsentDto::Issues { issues, unknown }) => {
                self.unknown_keys(unknown, &path.key("consent"), "a consent", "`issues`");
                Consent::OnIssues(self.ids(issues, &path.key("consent").key("issues")))
            }
        };
        let delegates = dto
            .delegates
            .iter()
            .enumerate()
            .map(|(idx, delegate)| {
                let delegate_path = path.key("delegates").index(idx);
                Delegate {
                    id: self.id(&delegate.id, delegate_path.key("id")),
                    name: delegate.name.clone(),
                    title: delegate.title.clone(),
                    cites: self.cites(&delegate.cites, &delegate_path.key("cites")),
                }
            })
            .collect();
        let interests = dto
            .interests
            .iter()
            .enumerate()
            .map(|(idx, interest)| Interest {
                label: interest.label.clone(),
                cites: self.cites(&interest.cites, &path.key("interests").index(idx).key("cites")),
            })
            .collect();
        let reservation = dto.reservation.as_ref().map(|reservation| {
            let reservation_path = path.key("reservation");
            Reservation {
                value: reservation.value,
                basis: self.basis(
                    reservation.basis.as_deref(),
                    Basis::Assumed,
                    reservation_path.key("basis"),
                ),
                note: reservation.note.clone(),
                cites: self.cites(&reservation.cites, &reservation_path.key("cites")),
            }
        });
        let notes = dto
            .notes
            .iter()
            .enumerate()
            .map(|(idx, note)| {
                let note_path = path.key("notes").index(idx);
                Note {
                    text: note.text.clone(),
                    date: self.optional_date(&note.date, note_path.key("date")),
                    basis: self.basis(
                        note.basis.as_deref(),
                        Basis::Reported,
                        note_path.key("basis"),
                    ),
                    cites: self.cites(&note.cites, &note_path.key("cites")),
                }
            })
            .collect();
        Party {
            id: self.id(&dto.id, path.key("id")),
            name: dto.name.clone(),
            role,
            consent,
            consent_basis: self.basis(
                dto.consent_basis.as_deref(),
                Basis::Reported,
                path.key("consent_basis"),
            ),
            delegates,
            interests,
            reservation,
            discount_factor: dto.discount_factor,
            notes,
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }

    pub(crate) fn issue(&mut self, dto: &IssueDto, path: &FieldPath) -> Issue {
        let options = dto
            .options
            .iter()
            .enumerate()
            .map(|(idx, option)| IssueOption {
                id: self.id(&option.id, path.key("options").index(idx).key("id")),
                label: option.label.clone(),
            })
            .collect();
        let range = dto.range.as_ref().map(|range| NumberRange {
            lower: range.lower,
            upper: range.upper,
            grid: range.grid.unwrap_or(DEFAULT_GRID),
        });
        if range.is_some() && !dto.options.is_empty() {
            self.shape(
                path.key("options"),
                "a continuous issue (one with a range) takes no options: they are the numbers of its grid".to_owned(),
            );
        }
        Issue {
            id: self.id(&dto.id, path.key("id")),
            title: dto.title.clone(),
            category: self.keyword(
                &dto.category,
                Category::ALL,
                Category::as_str,
                Category::Other,
                path.key("category"),
            ),
            description: dto.description.clone(),
            options,
            range,
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }

    pub(crate) fn track(&mut self, dto: &TrackDto, path: &FieldPath) -> Track {
        Track {
            id: self.id(&dto.id, path.key("id")),
            name: dto.name.clone(),
            parties: self.ids(&dto.parties, &path.key("parties")),
            document: dto.document.as_ref().map(|document| self.id(document, path.key("document"))),
            description: dto.description.clone(),
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }

    pub(crate) fn meeting(&mut self, dto: &MeetingDto, path: &FieldPath) -> Meeting {
        let status_path = path.key("status");
        Meeting {
            id: self.id(&dto.id, path.key("id")),
            track: self.id(&dto.track, path.key("track")),
            title: dto.title.clone(),
            date: self.optional_date(&dto.date, path.key("date")),
            place: self.place(&dto.place, path.key("place")),
            attendees: self.ids(&dto.attendees, &path.key("attendees")),
            duration_minutes: dto.duration_minutes,
            status: self.keyword(
                &dto.status,
                MeetingStatus::ALL,
                MeetingStatus::as_str,
                MeetingStatus::Held,
                status_path,
            ),
            status_basis: self.basis(
                dto.status_basis.as_deref(),
                Basis::Reported,
                path.key("status_basis"),
            ),
            condition: self.condition(&dto.condition, path.key("condition")),
            settled: self.ids(&dto.settled, &path.key("settled")),
            left_open: self.ids(&dto.left_open, &path.key("left_open")),
            summary: dto.summary.clone(),
            visibility: self.visibility(
                &dto.visibility,
                Visibility::Public,
                path.key("visibility"),
            ),
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }

    pub(crate) fn draft(&mut self, dto: &DraftDto, path: &FieldPath) -> Draft {
        let points = dto
            .points
            .iter()
            .enumerate()
            .map(|(idx, point)| self.point(point, &path.key("points").index(idx)))
            .collect();
        let lineage = dto
            .lineage
            .iter()
            .enumerate()
            .map(|(idx, entry)| {
                let entry_path = path.key("lineage").index(idx);
                let points = match &entry.points {
                    PointSelectionDto::Listed(points) => PointSelection::Listed(self.ids(points, &entry_path.key("points"))),
                    PointSelectionDto::Keyword(keyword) if keyword == REST_KEYWORD => PointSelection::Rest,
                    PointSelectionDto::Keyword(keyword) => {
                        let message = format!("unknown point selection '{keyword}', expected a list of point ids or \"rest\"");
                        self.shape(entry_path.key("points"), message);
                        PointSelection::Listed(Vec::new())
                    }
                };
                LineageEntry {
                    parent: self.id(&entry.parent, entry_path.key("parent")),
                    points,
                    fate: self.keyword(&entry.fate, Fate::ALL, Fate::as_str, Fate::Unknown, entry_path.key("fate")),
                    into: entry.into.as_ref().map(|into| self.id(into, entry_path.key("into"))),
                    cites: self.cites(&entry.cites, &entry_path.key("cites")),
                }
            })
            .collect();
        let stage = dto.stage.as_ref().map(|stage| {
            self.keyword(stage, Stage::ALL, Stage::as_str, Stage::Framework, path.key("stage"))
        });
        let agreements = dto
            .agreements
            .iter()
            .enumerate()
            .map(|(idx, agreement)| self.agreement(agreement, &path.key("agreements").index(idx)))
            .collect();
        Draft {
            id: self.id(&dto.id, path.key("id")),
            title: dto.title.clone(),
            date: self.optional_date(&dto.date, path.key("date")),
            author: dto.author.as_ref().map(|author| self.id(author, path.key("author"))),
            answers: dto.answers.as_ref().map(|answers| self.id(answers, path.key("answers"))),
            status: self.keyword(
                &dto.status,
                DraftStatus::ALL,
                DraftStatus::as_str,
                DraftStatus::Proposed,
                path.key("status"),
            ),
            status_basis: self.basis(
                dto.status_basis.as_deref(),
                Basis::Reported,
                path.key("status_basis"),
            ),
            condition: self.condition(&dto.condition, path.key("condition")),
            stage,
            parents: self.ids(&dto.parents, &path.key("parents")),
            point_count: dto.point_count,
            points,
            lineage,
            agreements,
            summary: dto.summary.clone(),
            visibility: self.visibility(
                &dto.visibility,
                Visibility::Public,
                path.key("visibility"),
            ),
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }

    fn agreement(&mut self, dto: &AgreementDto, path: &FieldPath) -> Agreement {
        Agreement {
            party: self.id(&dto.party, path.key("party")),
            point: dto.point.as_ref().map(|point| self.id(point, path.key("point"))),
            kind: self.keyword(
                &dto.kind,
                AgreementKind::ALL,
                AgreementKind::as_str,
                AgreementKind::AdReferendum,
                path.key("kind"),
            ),
            date: self.optional_date(&dto.date, path.key("date")),
            basis: self.basis(dto.basis.as_deref(), Basis::Reported, path.key("basis")),
            visibility: self.visibility(
                &dto.visibility,
                Visibility::Public,
                path.key("visibility"),
            ),
            note: dto.note.clone(),
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }

    fn point(&mut self, dto: &PointDto, path: &FieldPath) -> Point {
        let settlement = match (&dto.option, &dto.brackets) {
            (None, None) => Settlement::Unspecified,
            (Some(option), None) => Settlement::Option(self.id(option, path.key("option"))),
            (None, Some(brackets)) => {
                Settlement::Bracketed(self.ids(brackets, &path.key("brackets")))
            }
            (Some(_), Some(_)) => {
                let message =
                    "a point settles on one option or keeps brackets, not both".to_owned();
                self.shape(path.key("brackets"), message);
                Settlement::Unspecified
            }
        };
        Point {
            id: self.id(&dto.id, path.key("id")),
            number: dto.number,
            text: dto.text.clone(),
            issue: dto.issue.as_ref().map(|issue| self.id(issue, path.key("issue"))),
            settlement,
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }

    pub(crate) fn position(&mut self, dto: &PositionDto, path: &FieldPath) -> Position {
        let importance = match (&dto.importance, dto.weight) {
            (None, None) => None,
            (Some(level), None) => match ImportanceLevel::parse(level) {
                Ok(level) => Some(Importance::Level(level)),
                Err(message) => {
                    self.shape(path.key("importance"), message);
                    None
                }
            },
            (None, Some(weight)) => Some(Importance::Weight(weight)),
            (Some(_), Some(_)) => {
                self.shape(
                    path.key("weight"),
                    "give an importance level or a weight, not both".to_owned(),
                );
                None
            }
        };
        let mut stances = Vec::new();
        let dto_stances = dto.stances.as_ref().map_or(&[][..], |stances| &stances.0[..]);
        if !dto.curve.is_empty() && !dto_stances.is_empty() {
            self.shape(
                path.key("curve"),
                "give stances on options or a curve over numbers, not both".to_owned(),
            );
        }
        let curve = dto.curve.iter().map(|&[number, value]| CurvePoint { number, value }).collect();
        for (option, stance) in dto_stances {
            let stance_path = path.key("stances").key(option.clone());
            let stance = match stance {
                StanceDto::Value(value) => Stance::Value(*value),
                StanceDto::Level(level) => match StanceLevel::parse(level) {
                    Ok(level) => Stance::Level(level),
                    Err(message) => {
                        self.shape(stance_path, format!("{message}, or a number in [0, 1]"));
                        continue;
                    }
                },
            };
            stances.push((self.id(option, stance_path), stance));
        }
        let confidence =
            self.basis(dto.confidence.as_deref(), Basis::Reported, path.key("confidence"));
        Position {
            party: self.id(&dto.party, path.key("party")),
            issue: self.id(&dto.issue, path.key("issue")),
            date: self.optional_date(&dto.date, path.key("date")),
            importance,
            importance_basis: self.basis(
                dto.importance_basis.as_deref(),
                confidence,
                path.key("importance_basis"),
            ),
            stances,
            curve,
            confidence,
            condition: self.condition(&dto.condition, path.key("condition")),
            visibility: self.visibility(
                &dto.visibility,
                Visibility::Public,
                path.key("visibility"),
            ),
            note: dto.note.clone(),
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }

    pub(crate) fn constraint_utility(
        &mut self,
        dto: &ConstraintUtilityDto,
        path: &FieldPath,
    ) -> ConstraintUtility {
        let constraints = dto
            .constraints
            .iter()
            .enumerate()
            .map(|(idx, constraint)| {
                self.constraint(constraint, &path.key("constraints").index(idx))
            })
            .collect();
        ConstraintUtility {
            party: self.id(&dto.party, path.key("party")),
            max_utility: dto.max_utility,
            constraints,
            basis: self.basis(dto.basis.as_deref(), Basis::Reported, path.key("basis")),
            visibility: self.visibility(
                &dto.visibility,
                Visibility::Public,
                path.key("visibility"),
            ),
            note: dto.note.clone(),
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }

    fn constraint(&mut self, dto: &ConstraintDto, path: &FieldPath) -> Constraint {
        let (kind, bounds) = match (&dto.includes, &dto.excludes) {
            (Some(bounds), None) => (ConstraintKind::Includes, bounds.as_slice()),
            (None, Some(bounds)) => (ConstraintKind::Excludes, bounds.as_slice()),
            (None, None) => {
                let message = "a constraint needs its bounds: give includes = [...] or excludes = [...] (includes = [] is always satisfied)".to_owned();
                self.shape(path.key("includes"), message);
                (ConstraintKind::Includes, [].as_slice())
            }
            (Some(_), Some(_)) => {
                let message = "give includes or excludes, not both".to_owned();
                self.shape(path.key("excludes"), message);
                (ConstraintKind::Includes, [].as_slice())
            }
        };
        let bounds_path = path.key(kind.as_str());
        let bounds = bounds
            .iter()
            .enumerate()
            .map(|(idx, bound)| {
                let bound_path = bounds_path.index(idx);
                Bound {
                    issue: self.id(&bound.issue, bound_path.key("issue")),
                    from: self.id(&bound.from, bound_path.key("from")),
                    to: self.id(&bound.to, bound_path.key("to")),
                }
            })
            .collect();
        Constraint { value: dto.value, kind, bounds }
    }

    pub(crate) fn claim(&mut self, dto: &ClaimDto, path: &FieldPath) -> Claim {
        Claim {
            id: self.id(&dto.id, path.key("id")),
            claimant: self.id(&dto.claimant, path.key("claimant")),
            statement: dto.statement.clone(),
            date: self.optional_date(&dto.date, path.key("date")),
            place: self.place(&dto.place, path.key("place")),
            status: self.keyword(
                &dto.status,
                ClaimStatus::ALL,
                ClaimStatus::as_str,
                ClaimStatus::Unverified,
                path.key("status"),
            ),
            disputes: dto.disputes.as_ref().map(|disputed| self.id(disputed, path.key("disputes"))),
            visibility: self.visibility(
                &dto.visibility,
                Visibility::Public,
                path.key("visibility"),
            ),
            cites: self.cites(&dto.cites, &path.key("cites")),
        }
    }
}

fn parse_text_date(text: &str) -> Option<(Date, DatePrecision)> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |part: &str, digits: usize| {
        (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<i16>().ok())
            .flatten()
    };
    let (year, month, day, precision) = match parts.as_slice() {
        [year] => (number(year, 4)?, 1, 1, DatePrecision::Year),
        [year, month] => (number(year, 4)?, number(month, 2)?, 1, DatePrecision::Month),
        [year, month, day] => {
            (number(year, 4)?, number(month, 2)?, number(day, 2)?, DatePrecision::Exact)
        }
        _ => return None,
    };
    let date = Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    Some((date, precision))
}

fn write_cites(cites: &[Citation]) -> Vec<CitationDto> {
    cites
        .iter()
        .map(|cite| {
            let plain = cite.speaker.is_none()
                && cite.quote.is_none()
                && !cite.source.as_str().contains('#');
            match &cite.section {
                Some(section) if plain => CitationDto::Text(format!("{}#{section}", cite.source)),
                None if plain => CitationDto::Text(cite.source.to_string()),
                section => CitationDto::Table {
                    source: cite.source.to_string(),
                    section: section.clone(),
                    speaker: cite.speaker.clone(),
                    quote: cite.quote.clone(),
                    unknown: UnknownKeys::new(),
                },
            }
        })
        .collect()
}

fn write_condition(condition: &Option<Condition>) -> Option<ConditionDto> {
    condition.as_ref().map(|condition| ConditionDto {
        text: condition.text.clone(),
        party: condition.party.to_string(),
    })
}

fn write_date(date: &FuzzyDate) -> DateDto {
    let plain = Datetime {
        date: Some(TomlDate {
            year: date.date.year() as u16,
            month: date.date.month() as u8,
            day: date.date.day() as u8,
        }),
        time: None,
        offset: None,
    };
    if date.precision == DatePrecision::Exact && date.basis == Basis::Reported {
        return DateDto::Plain(plain);
    }
    DateDto::Detailed(DetailedDateDto {
        date: DatePartDto::Plain(plain),
        precision: (date.precision != DatePrecision::Exact)
            .then(|| date.precision.as_str().to_owned()),
        basis: (date.basis != Basis::Reported).then(|| date.basis.as_str().to_owned()),
    })
}

fn write_place(place: &Option<Place>) -> Option<PlaceDto> {
    place.as_ref().map(|place| PlaceDto {
        name: place.name.clone(),
        region: place.region.clone(),
        country: place.country.clone(),
        precision: (place.precision != PlacePrecision::Exact)
            .then(|| place.precision.as_str().to_owned()),
    })
}

fn write_visibility(visibility: &Visibility) -> Option<VisibilityDto> {
    match visibility {
        Visibility::Public => None,
        Visibility::Private => Some(VisibilityDto::Keyword(VISIBILITY_KEYWORDS[1].to_owned())),
        Visibility::Track(track) => {
            Some(VisibilityDto::Track { track: track.to_string(), unknown: UnknownKeys::new() })
        }
    }
}

fn strings(ids: &[Id]) -> Vec<String> {
    ids.iter().map(Id::to_string).collect()
}

fn non_default_basis(basis: Basis, default: Basis) -> Option<String> {
    (basis != default).then(|| basis.as_str().to_owned())
}

pub(crate) fn write_file(scenario: &Scenario) -> FileDto {
    FileDto {
        scenario: Some(HeaderDto {
            id: scenario.id.clone(),
            title: scenario.title.clone(),
            description: scenario.description.clone(),
            as_of: scenario.as_of.as_ref().map(write_date),
        }),
        scale: write_scale(&scenario.scale),
        sources: scenario.sources.iter().map(write_source).collect(),
        parties: scenario.parties.iter().map(write_party).collect(),
        issues: scenario.issues.iter().map(write_issue).collect(),
        tracks: scenario.tracks.iter().map(write_track).collect(),
        meetings: scenario.meetings.iter().map(write_meeting).collect(),
        drafts: scenario.drafts.iter().map(write_draft).collect(),
        positions: scenario.positions.iter().map(write_position).collect(),
        constraint_utilities: scenario
            .constraint_utilities
            .iter()
            .map(write_constraint_utility)
            .collect(),
        claims: scenario.claims.iter().map(write_claim).collect(),
    }
}

fn write_scale(scale: &Scale) -> Option<ScaleDto> {
    if scale == &Scale::default() {
        return None;
    }
    let named = |intervals: Vec<(&str, Interval)>| {
        intervals
            .into_iter()
            .map(|(name, interval)| (name.to_owned(), [interval.low, interval.high]))
            .collect()
    };
    let (stances, importances) = (named(scale.named_stances()), named(scale.named_importances()));
    Some(ScaleDto {
        basis: Some(scale.basis.as_str().to_owned()),
        stances: OrderedMap(stances),
        importances: OrderedMap(importances),
    })
}

fn write_source(source: &Source) -> SourceDto {
    SourceDto {
        id: source.id.to_string(),
        title: source.title.clone(),
        publisher: source.publisher.clone(),
        date: source.date.as_ref().map(write_date),
        address: source.address.clone(),
        sections: source.sections.clone(),
    }
}

fn write_party(party: &Party) -> PartyDto {
    let default_consent =
        if party.role == Role::Principal { Consent::Required } else { Consent::NotRequired };
    let consent = (party.consent != default_consent).then(|| match &party.consent {
        Consent::Required => ConsentDto::Keyword(CONSENT_KEYWORDS[0].to_owned()),
        Consent::NotRequired => ConsentDto::Keyword(CONSENT_KEYWORDS[1].to_owned()),
        Consent::OnIssues(issues) => {
            ConsentDto::Issues { issues: strings(issues), unknown: UnknownKeys::new() }
        }
    });
    PartyDto {
        id: party.id.to_string(),
        name: party.name.clone(),
        role: party.role.as_str().to_owned(),
        consent,
        consent_basis: non_default_basis(party.consent_basis, Basis::Reported),
        interests: party
            .interests
            .iter()
            .map(|interest| InterestDto {
                label: interest.label.clone(),
                cites: write_cites(&interest.cites),
            })
            .collect(),
        reservation: party.reservation.as_ref().map(|reservation| ReservationDto {
            value: reservation.value,
            basis: Some(reservation.basis.as_str().to_owned()),
            note: reservation.note.clone(),
            cites: write_cites(&reservation.cites),
        }),
        discount_factor: party.discount_factor,
        cites: write_cites(&party.cites),
        delegates: party
            .delegates
            .iter()
            .map(|delegate| DelegateDto {
                id: delegate.id.to_string(),
                name: delegate.name.clone(),
                title: delegate.title.clone(),
                cites: write_cites(&delegate.cites),
            })
            .collect(),
        notes: party
            .notes
            .iter()
            .map(|note| NoteDto {
                text: note.text.clone(),
                date: note.date.as_ref().map(write_date),
                basis: non_default_basis(note.basis, Basis::Reported),
                cites: write_cites(&note.cites),
            })
            .collect(),
    }
}

fn write_issue(issue: &Issue) -> IssueDto {
    IssueDto {
        id: issue.id.to_string(),
        title: issue.title.clone(),
        category: issue.category.as_str().to_owned(),
        description: issue.description.clone(),
        cites: write_cites(&issue.cites),
        options: issue
            .options
            .iter()
            .filter(|_| issue.range.is_none())
            .map(|option| OptionDto { id: option.id.to_string(), label: option.label.clone() })
            .collect(),
        range: issue.range.as_ref().map(|range| RangeDto {
            lower: range.lower,
            upper: range.upper,
            grid: Some(range.grid),
        }),
    }
}

fn write_track(track: &Track) -> TrackDto {
    TrackDto {
        id: track.id.to_string(),
        name: track.name.clone(),
        parties: strings(&track.parties),
        document: track.document.as_ref().map(Id::to_string),
        description: track.description.clone(),
        cites: write_cites(&track.cites),
    }
}

fn write_meeting(meeting: &Meeting) -> MeetingDto {
    MeetingDto {
        id: meeting.id.to_string(),
        track: meeting.track.to_string(),
        title: meeting.title.clone(),
        date: meeting.date.as_ref().map(write_date),
        place: write_place(&meeting.place),
        attendees: strings(&meeting.attendees),
        duration_minutes: meeting.duration_minutes,
        status: meeting.status.as_str().to_owned(),
        status_basis: non_default_basis(meeting.status_basis, Basis::Reported),
        condition: write_condition(&meeting.condition),
        settled: strings(&meeting.settled),
        left_open: strings(&meeting.left_open),
        summary: meeting.summary.clone(),
        visibility: write_visibility(&meeting.visibility),
        cites: write_cites(&meeting.cites),
    }
}

fn write_draft(draft: &Draft) -> DraftDto {
    DraftDto {
        id: draft.id.to_string(),
        title: draft.title.clone(),
        date: draft.date.as_ref().map(write_date),
        author: draft.author.as_ref().map(Id::to_string),
        answers: draft.answers.as_ref().map(Id::to_string),
        status: draft.status.as_str().to_owned(),
        status_basis: non_default_basis(draft.status_basis, Basis::Reported),
        condition: write_condition(&draft.condition),
        stage: draft.stage.map(|stage| stage.as_str().to_owned()),
        parents: strings(&draft.parents),
        point_count: draft.point_count,
        summary: draft.summary.clone(),
        visibility: write_visibility(&draft.visibility),
        cites: write_cites(&draft.cites),
        points: draft
            .points
            .iter()
            .map(|point| {
                let (option, brackets) = match &point.settlement {
                    Settlement::Unspecified => (None, None),
                    Settlement::Option(option) => (Some(option.to_string()), None),
                    Settlement::Bracketed(options) => (None, Some(strings(options))),
                };
                PointDto {
                    id: point.id.to_string(),
                    number: point.number,
                    text: point.text.clone(),
                    issue: point.issue.as_ref().map(Id::to_string),
                    option,
                    brackets,
                    cites: write_cites(&point.cites),
                }
            })
            .collect(),
        lineage: draft
            .lineage
            .iter()
            .map(|entry| LineageDto {
                parent: entry.parent.to_string(),
                points: match &entry.points {
                    PointSelection::Listed(points) => PointSelectionDto::Listed(strings(points)),
                    PointSelection::Rest => PointSelectionDto::Keyword(REST_KEYWORD.to_owned()),
                },
                fate: entry.fate.as_str().to_owned(),
                into: entry.into.as_ref().map(Id::to_string),
                cites: write_cites(&entry.cites),
            })
            .collect(),
        agreements: draft
            .agreements
            .iter()
            .map(|agreement| AgreementDto {
                party: agreement.party.to_string(),
                point: agreement.point.as_ref().map(Id::to_string),
                kind: agreement.kind.as_str().to_owned(),
                date: agreement.date.as_ref().map(write_date),
                basis: non_default_basis(agreement.basis, Basis::Reported),
                visibility: write_visibility(&agreement.visibility),
                note: agreement.note.clone(),
                cites: write_cites(&agreement.cites),
            })
            .collect(),
    }
}

fn write_position(position: &Position) -> PositionDto {
    let (importance, weight) = match position.importance {
        None => (None, None),
        Some(Importance::Level(level)) => (Some(level.as_str().to_owned()), None),
        Some(Importance::Weight(weight)) => (None, Some(weight)),
    };
    let stances = position
        .stances
        .iter()
        .map(|(option, stance)| {
            let stance = match stance {
                Stance::Level(level) => StanceDto::Level(level.as_str().to_owned()),
                Stance::Value(value) => StanceDto::Value(*value),
            };
            (option.to_string(), stance)
        })
        .collect();
    PositionDto {
        party: position.party.to_string(),
        issue: position.issue.to_string(),
        date: position.date.as_ref().map(write_date),
        importance,
        weight,
        importance_basis: non_default_basis(position.importance_basis, position.confidence),
        confidence: non_default_basis(position.confidence, Basis::Reported),
        condition: write_condition(&position.condition),
        visibility: write_visibility(&position.visibility),
        note: position.note.clone(),
        cites: write_cites(&position.cites),
        // A curve's stances are its values on the grid, derived again on reading.
        stances: position.curve.is_empty().then_some(OrderedMap(stances)),
        curve: position.curve.iter().map(|point| [point.number, point.value]).collect(),
    }
}

fn write_constraint_utility(utility: &ConstraintUtility) -> ConstraintUtilityDto {
    ConstraintUtilityDto {
        party: utility.party.to_string(),
        max_utility: utility.max_utility,
        basis: non_default_basis(utility.basis, Basis::Reported),
        visibility: write_visibility(&utility.visibility),
        note: utility.note.clone(),
        cites: write_cites(&utility.cites),
        constraints: utility
            .constraints
            .iter()
            .map(|constraint| {
                let bounds = constraint
                    .bounds
                    .iter()
                    .map(|bound| BoundDto {
                        issue: bound.issue.to_string(),
                        from: bound.from.to_string(),
                        to: bound.to.to_string(),
                    })
                    .collect();
                let (includes, excludes) = match constraint.kind {
                    ConstraintKind::Includes => (Some(bounds), None),
                    ConstraintKind::Excludes => (None, Some(bounds)),
                };
                ConstraintDto { value: constraint.value, includes, excludes }
            })
            .collect(),
    }
}

fn write_claim(claim: &Claim) -> ClaimDto {
    ClaimDto {
        id: claim.id.to_string(),
        claimant: claim.claimant.to_string(),
        statement: claim.statement.clone(),
        date: claim.date.as_ref().map(write_date),
        place: write_place(&claim.place),
        status: claim.status.as_str().to_owned(),
        disputes: claim.disputes.as_ref().map(Id::to_string),
        visibility: write_visibility(&claim.visibility),
        cites: write_cites(&claim.cites),
    }
}
