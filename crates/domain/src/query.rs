//! The pipeline list's query model (api.md, "Pipeline list filters"): typed
//! filters and sort keys, parsed from and rendered to a URL query string,
//! so the server and the client read the same links the same way.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
#[cfg(feature = "tz")]
use chrono::{Days, Offset};

use crate::ids::{CampaignId, QualifierId, UserId};
use crate::source::Source;
use crate::status::{Stage, Status};
use crate::values::digits_of;
use crate::violation::{Violation, ViolationCode, Violations};
use crate::wire::wire_enum;

/// Rows per page when the caller does not say.
pub const DEFAULT_LIMIT: u16 = 50;
/// The most rows one page may hold.
pub const MAX_LIMIT: u16 = 200;
/// The longest text filter accepted.
pub const MAX_TEXT_FILTER_CHARS: usize = 200;
/// The longest cursor accepted; real ones are far shorter.
pub const MAX_CURSOR_CHARS: usize = 1024;

wire_enum! {
    /// The six sub-views of the funnel, each a filter on status.
    #[derive(Default)]
    pub enum Tab {
        #[default]
        All => "all", "Wszystkie", "All";
        New => "new", "Nowe leady", "New leads";
        InAcquisition => "in_acquisition", "W trakcie pozyskania", "In acquisition";
        Resigned => "resigned", "Zrezygnowali", "Resigned";
        Offered => "offered", "Zaofertowani", "Offered";
        Acquired => "acquired", "Pozyskani", "Acquired";
    }
}

impl Tab {
    /// The status this tab shows; `None` for all of them.
    pub const fn status(self) -> Option<Status> {
        match self {
            Tab::All => None,
            Tab::New => Some(Status::AwaitingPickup),
            Tab::InAcquisition => Some(Status::InAcquisition),
            Tab::Resigned => Some(Status::Resigned),
            Tab::Offered => Some(Status::Offered),
            Tab::Acquired => Some(Status::Acquired),
        }
    }

    /// The order a tab opens in when the user has not chosen one: the
    /// Offered tab by follow-up date (the day's calls first), the others
    /// newest first.
    pub fn default_sort(self) -> Vec<SortKey> {
        match self {
            Tab::Offered => vec![SortKey::asc(SortField::FollowUpAt)],
            _ => vec![SortKey::desc(SortField::CreatedAt)],
        }
    }
}

wire_enum! {
    /// A column the list can be sorted on.
    pub enum SortField {
        Number => "number", "Numer sprawy", "Number";
        Source => "source", "Źródło pozyskania", "Source";
        Status => "status", "Status", "Status";
        Stage => "stage", "Etap", "Stage";
        CreatedAt => "created_at", "Utworzono", "Created";
        ExpectedCloseDate => "expected_close_date", "Przewidywana data zamknięcia", "Expected close date";
        FollowUpAt => "follow_up_at", "Termin kontaktu", "Follow-up";
        Contact => "contact", "Kontakt", "Contact";
        Company => "company", "Firma", "Company";
        Email => "email", "E-mail", "E-mail";
        Subject => "subject", "Temat", "Subject";
        Owner => "owner", "Właściciel", "Owner";
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Asc,
    Desc,
}

/// One sort key; ties after the last key are broken by case id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortKey {
    pub field: SortField,
    pub direction: Direction,
}

impl SortKey {
    pub const fn asc(field: SortField) -> Self {
        SortKey {
            field,
            direction: Direction::Asc,
        }
    }

    pub const fn desc(field: SortField) -> Self {
        SortKey {
            field,
            direction: Direction::Desc,
        }
    }

    fn render(self) -> String {
        match self.direction {
            Direction::Asc => self.field.as_str().to_owned(),
            Direction::Desc => format!("-{}", self.field),
        }
    }
}

/// Whose cases to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnerFilter {
    Me,
    Unassigned,
    User(UserId),
}

/// A case-insensitive substring filter: trimmed, never blank.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextFilter(String);

impl TextFilter {
    /// At most [`MAX_TEXT_FILTER_CHARS`] characters as sent; blank means
    /// no filter.
    pub fn parse(raw: &str) -> Result<Option<TextFilter>, ViolationCode> {
        if raw.chars().count() > MAX_TEXT_FILTER_CHARS {
            return Err(ViolationCode::TooLong);
        }
        let text = raw.trim();
        Ok((!text.is_empty()).then(|| TextFilter(text.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A fixed offset from UTC, written `Z`, `+01:00` or `-05:30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct UtcOffset {
    minutes: i16,
}

impl UtcOffset {
    pub const UTC: UtcOffset = UtcOffset { minutes: 0 };
    /// The farthest an offset may be from UTC, in minutes.
    pub const MAX_MINUTES: i32 = 18 * 60;
    /// What [`UtcOffset::parse`] accepts. A `+` typed into a URL arrives
    /// decoded as a space, so a space reads as `+`.
    pub const PATTERN: &'static str = r"^(?:[Zz]|[+ -](?:(?:0[0-9]|1[0-7]):[0-5][0-9]|18:00))$";

    pub fn from_minutes(minutes: i32) -> Result<Self, ViolationCode> {
        if (-Self::MAX_MINUTES..=Self::MAX_MINUTES).contains(&minutes) {
            Ok(UtcOffset {
                minutes: minutes as i16,
            })
        } else {
            Err(ViolationCode::OutOfRange)
        }
    }

    pub fn minutes(self) -> i32 {
        i32::from(self.minutes)
    }

    pub fn parse(raw: &str) -> Result<Self, ViolationCode> {
        if raw == "Z" || raw == "z" {
            return Ok(UtcOffset::UTC);
        }
        let (sign, rest) = match raw.as_bytes().first() {
            Some(b'+' | b' ') => (1, &raw[1..]),
            Some(b'-') => (-1, &raw[1..]),
            _ => return Err(ViolationCode::InvalidValue),
        };
        let (hours, minutes) = rest.split_once(':').ok_or(ViolationCode::InvalidValue)?;
        let two_digits = |text: &str| {
            (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<i32>().ok())
                .flatten()
                .ok_or(ViolationCode::InvalidValue)
        };
        let (hours, minutes) = (two_digits(hours)?, two_digits(minutes)?);
        if minutes >= 60 {
            return Err(ViolationCode::InvalidValue);
        }
        UtcOffset::from_minutes(sign * (hours * 60 + minutes))
    }

    pub fn render(self) -> String {
        let sign = if self.minutes < 0 { '-' } else { '+' };
        let total = self.minutes.unsigned_abs();
        format!("{sign}{:02}:{:02}", total / 60, total % 60)
    }

    fn fixed(self) -> FixedOffset {
        FixedOffset::east_opt(self.minutes() * 60).unwrap_or(FixedOffset::east_opt(0).expect("zero offset"))
    }

    /// The instant a local calendar day begins at this offset.
    pub fn start_of_day(self, day: NaiveDate) -> DateTime<Utc> {
        self.fixed()
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .single()
            .map(|local| local.with_timezone(&Utc))
            .unwrap_or_else(|| day.and_time(NaiveTime::MIN).and_utc())
    }
}

/// An IANA time zone name such as `Europe/Warsaw`. With the `tz` feature
/// (the server) only names in the time zone database are accepted; without
/// it (the WASM client) any name of the right form is, and the server
/// decides.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ZoneName(String);

impl ZoneName {
    /// The longest zone name accepted; real ones are at most 32 characters.
    pub const MAX_CHARS: usize = 64;

    pub fn parse(raw: &str) -> Result<ZoneName, ViolationCode> {
        let well_formed = raw.len() <= Self::MAX_CHARS
            && raw.starts_with(|c: char| c.is_ascii_alphabetic())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b));
        if !well_formed {
            return Err(ViolationCode::InvalidValue);
        }
        #[cfg(feature = "tz")]
        if raw.parse::<chrono_tz::Tz>().is_err() {
            return Err(ViolationCode::InvalidValue);
        }
        Ok(ZoneName(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Every zone name the server accepts, in the database's order.
    #[cfg(feature = "tz")]
    pub fn all() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name())
    }

    /// The instant a local calendar day begins in this zone: local midnight,
    /// or, where a daylight-saving change skips midnight, the first instant
    /// after the gap.
    #[cfg(feature = "tz")]
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        let zone: chrono_tz::Tz = self.0.parse().unwrap_or(chrono_tz::UTC);
        let midnight = day.and_time(NaiveTime::MIN);
        zone.from_local_datetime(&midnight)
            .earliest()
            .map(|local| local.with_timezone(&Utc))
            .unwrap_or_else(|| {
                // In a gap: midnight at the offset in force the day before
                // is the instant the clocks jumped.
                let before = (midnight - chrono::Duration::days(1)).and_utc();
                let offset = zone.offset_from_utc_datetime(&before.naive_utc()).fix();
                (midnight - chrono::Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc()
            })
    }
}

/// The caller's time zone, for interpreting the `created` date range: an
/// IANA zone (right across daylight-saving changes) or a fixed offset.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CallerTimeZone {
    Offset(UtcOffset),
    Named(ZoneName),
}

impl CallerTimeZone {
    pub fn parse(raw: &str) -> Result<CallerTimeZone, ViolationCode> {
        match UtcOffset::parse(raw) {
            Ok(offset) => Ok(CallerTimeZone::Offset(offset)),
            Err(_) if raw.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                ZoneName::parse(raw).map(CallerTimeZone::Named)
            }
            Err(code) => Err(code),
        }
    }

    pub fn render(&self) -> String {
        match self {
            CallerTimeZone::Offset(offset) => offset.render(),
            CallerTimeZone::Named(name) => name.as_str().to_owned(),
        }
    }

    /// The local calendar day of an instant in this time zone.
    #[cfg(feature = "tz")]
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        match self {
            CallerTimeZone::Offset(offset) => at.with_timezone(&offset.fixed()).date_naive(),
            CallerTimeZone::Named(name) => {
                let zone: chrono_tz::Tz = name.as_str().parse().unwrap_or(chrono_tz::UTC);
                at.with_timezone(&zone).date_naive()
            }
        }
    }

    /// The instant a local calendar day begins in this time zone.
    #[cfg(feature = "tz")]
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        match self {
            CallerTimeZone::Offset(offset) => offset.start_of_day(day),
            CallerTimeZone::Named(name) => name.start_of_day(day),
        }
    }
}

/// What a query parameter's value looks like, as its parser reads it. The
/// API documents every parameter from this, so the document and the parser
/// cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamShape {
    /// One of the codes.
    Code(&'static [&'static str]),
    /// Codes, comma-separated, each at most once; may be empty. The
    /// parameter may also be repeated.
    Codes(&'static [&'static str]),
    /// Positive ids, comma-separated, each at most once; may be empty.
    Ids,
    /// A positive integer without sign or leading zeros.
    Positive,
    /// A calendar day, `YYYY-MM-DD`.
    Date,
    /// Text of at most `max_chars` characters, trimmed; blank means none.
    Text { max_chars: usize },
    /// As `Text`, but a non-blank value must contain a digit (`0`–`9`).
    DigitsText { max_chars: usize },
    /// `me`, `unassigned` or a user id.
    Owner,
    /// `true` or `false`.
    Bool,
    /// A UTC offset ([`UtcOffset::PATTERN`]) or an IANA zone name.
    TimeZone,
    /// Sort keys (the codes, each optionally prefixed by `-` for
    /// descending), comma-separated, each field at most once; may be empty.
    Sort(&'static [&'static str]),
    /// Rows per page, 1 to `max`.
    Limit { max: u16 },
    /// An opaque cursor of 1 to `max_chars` characters.
    Cursor { max_chars: usize },
}

impl ParamShape {
    /// Whether the parameter may appear more than once (its values add up).
    pub const fn repeats(self) -> bool {
        matches!(self, ParamShape::Codes(_) | ParamShape::Ids)
    }
}

/// Defines a table of query parameters: wire name, shape and description.
macro_rules! parameters {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($variant:ident => $wire:literal, $shape:expr, $description:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            /// Every parameter, in the order the document lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The parameter's name in the query string.
            pub const fn name(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }

            /// What its value looks like.
            pub const fn shape(self) -> ParamShape {
                match self { $($name::$variant => $shape,)+ }
            }

            /// What it means, for the document.
            pub const fn description(self) -> &'static str {
                match self { $($name::$variant => $description,)+ }
            }

            /// The parameter of that name.
            pub fn from_name(name: &str) -> Option<$name> {
                match name {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

parameters! {
    /// The parameters of the pipeline list (`GET /cases`, `GET /cases/counts`).
    pub enum PipelineParam {
        Tab => "tab", ParamShape::Code(Tab::CODES),
            "The sub-view: every status (`all`) or one. Default `all`.";
        Status => "status", ParamShape::Codes(Status::CODES),
            "Statuses, comma-separated, each once.";
        Source => "source", ParamShape::Codes(Source::CODES),
            "Lead sources, comma-separated, each once.";
        Stage => "stage", ParamShape::Codes(Stage::CODES),
            "Stages, comma-separated, each once.";
        Qualifier => "qualifier", ParamShape::Ids,
            "Qualifier ids, comma-separated, each once.";
        Number => "number", ParamShape::Positive,
            "Exact case number.";
        CreatedFrom => "created_from", ParamShape::Date,
            "First day (inclusive) of the creation range, in `tz`.";
        CreatedTo => "created_to", ParamShape::Date,
            "Last day (inclusive) of the creation range, in `tz`; not before `created_from`.";
        CloseFrom => "close_from", ParamShape::Date,
            "First day (inclusive) of the expected close date range.";
        CloseTo => "close_to", ParamShape::Date,
            "Last day (inclusive) of the expected close date range; not before `close_from`.";
        Contact => "contact", ParamShape::Text { max_chars: MAX_TEXT_FILTER_CHARS },
            "Case-insensitive substring of the contact's name; blank means no filter.";
        Company => "company", ParamShape::Text { max_chars: MAX_TEXT_FILTER_CHARS },
            "Case-insensitive substring of the company; blank means no filter.";
        Email => "email", ParamShape::Text { max_chars: MAX_TEXT_FILTER_CHARS },
            "Case-insensitive substring of the e-mail; blank means no filter.";
        Phone => "phone", ParamShape::DigitsText { max_chars: MAX_TEXT_FILTER_CHARS },
            "Digits of the phone number (only digits are compared, so it needs one); blank means no filter.";
        Subject => "subject", ParamShape::Text { max_chars: MAX_TEXT_FILTER_CHARS },
            "Case-insensitive substring of the subject; blank means no filter.";
        Owner => "owner", ParamShape::Owner,
            "`me`, `unassigned` or a user id.";
        CreatedBy => "created_by", ParamShape::Positive,
            "The id of the user (or integration) that created the case.";
        Campaign => "campaign", ParamShape::Positive,
            "A campaign id (default: the sales funnel); not together with `spam=true`.";
        Spam => "spam", ParamShape::Bool,
            "`true` lists the SPAM campaign instead of the funnel.";
        Tz => "tz", ParamShape::TimeZone,
            "The caller's time zone for the creation range: an IANA name (`Europe/Warsaw`, right across \
             daylight-saving changes) or a UTC offset (`Z`, `+01:00`, `-05:30`). Default UTC.";
        Sort => "sort", ParamShape::Sort(SortField::CODES),
            "Sort keys, comma-separated, `-` for descending, each field once; ties are broken by id. \
             Default: the tab's order (Offered by follow-up date, the others newest first).";
        Limit => "limit", ParamShape::Limit { max: MAX_LIMIT },
            "Rows per page, 1 to 200 (default 50).";
        Cursor => "cursor", ParamShape::Cursor { max_chars: MAX_CURSOR_CHARS },
            "The `next_cursor` of the previous page of the same query.";
    }
}

parameters! {
    /// The parameters of the simple lists (search, contacts, a contact's
    /// cases): each list accepts some of them.
    pub enum ListParam {
        Q => "q", ParamShape::Text { max_chars: MAX_TEXT_FILTER_CHARS },
            "Text to look for (case-insensitive); blank means everything.";
        Limit => "limit", ParamShape::Limit { max: MAX_LIMIT },
            "Rows per page, 1 to 200 (default 50).";
        Cursor => "cursor", ParamShape::Cursor { max_chars: MAX_CURSOR_CHARS },
            "The `next_cursor` of the previous page of the same query.";
    }
}

impl ListParam {
    /// Search and the contact list: text, then paging.
    pub const SEARCH: &'static [ListParam] = &[ListParam::Q, ListParam::Limit, ListParam::Cursor];
    /// Lists of one thing's items: paging only.
    pub const PAGE: &'static [ListParam] = &[ListParam::Limit, ListParam::Cursor];
}

/// A request for one page of a simple list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListQuery {
    pub q: Option<TextFilter>,
    pub limit: Option<u16>,
    pub cursor: Option<String>,
}

impl ListQuery {
    /// The page size, defaulted.
    pub fn page_size(&self) -> u16 {
        self.limit.unwrap_or(DEFAULT_LIMIT)
    }

    /// Parses a query string that may hold the `accepted` parameters, each
    /// at most once; anything else is refused by name.
    pub fn from_query_string(query: &str, accepted: &[ListParam]) -> Result<ListQuery, Violations> {
        let mut parsed = ListQuery::default();
        let mut violations = Violations::new();
        let mut seen: Vec<ListParam> = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let Some(param) = ListParam::from_name(&key).filter(|param| accepted.contains(param)) else {
                violations
                    .0
                    .push(Violation::on(key.into_owned(), ViolationCode::UnknownParameter));
                continue;
            };
            if seen.contains(&param) {
                violations.push(param.name(), ViolationCode::Duplicate);
                continue;
            }
            seen.push(param);
            let result = no_nul(&value).and_then(|()| match param {
                ListParam::Q => TextFilter::parse(&value).map(|q| parsed.q = q),
                ListParam::Limit => limit(&value).map(|n| parsed.limit = Some(n)),
                ListParam::Cursor => cursor(&value).map(|c| parsed.cursor = Some(c)),
            });
            if let Err(code) = result {
                violations.push(param.name(), code);
            }
        }
        violations.into_result(parsed)
    }
}

/// Every filter of the pipeline list except the tab.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PipelineFilters {
    pub status: Vec<Status>,
    pub source: Vec<Source>,
    pub stage: Vec<Stage>,
    pub qualifier: Vec<QualifierId>,
    pub number: Option<i64>,
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
    pub close_from: Option<NaiveDate>,
    pub close_to: Option<NaiveDate>,
    pub contact: Option<TextFilter>,
    pub company: Option<TextFilter>,
    pub email: Option<TextFilter>,
    pub phone: Option<TextFilter>,
    pub subject: Option<TextFilter>,
    pub owner: Option<OwnerFilter>,
    pub created_by: Option<UserId>,
    pub campaign: Option<CampaignId>,
    pub spam: bool,
    pub tz: Option<CallerTimeZone>,
}

/// A request for one page of the pipeline list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PipelineQuery {
    pub tab: Tab,
    pub filters: PipelineFilters,
    /// Empty means the tab's default order.
    pub sort: Vec<SortKey>,
    pub limit: Option<u16>,
    pub cursor: Option<String>,
}

impl PipelineFilters {
    /// The digits of the phone filter, which is what is compared.
    pub fn phone_digits(&self) -> Option<String> {
        self.phone.as_ref().map(|phone| digits_of(phone.as_str()))
    }

    /// The half-open UTC interval `[from, to)` of the `created` date range,
    /// in the caller's time zone.
    #[cfg(feature = "tz")]
    pub fn created_between(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let zone = self.tz.clone().unwrap_or(CallerTimeZone::Offset(UtcOffset::UTC));
        (
            self.created_from.map(|day| zone.start_of_day(day)),
            self.created_to
                .and_then(|day| day.checked_add_days(Days::new(1)))
                .map(|day| zone.start_of_day(day)),
        )
    }

    /// The statuses to list under `tab`: the tab's status narrowed by the
    /// status filter; `None` means any status.
    pub fn statuses_for(&self, tab: Tab) -> Option<Vec<Status>> {
        match (tab.status(), self.status.is_empty()) {
            (None, true) => None,
            (None, false) => Some(self.status.clone()),
            (Some(status), true) => Some(vec![status]),
            (Some(status), false) => Some(self.status.iter().copied().filter(|s| *s == status).collect()),
        }
    }
}

impl PipelineQuery {
    /// The page size, defaulted.
    pub fn page_size(&self) -> u16 {
        self.limit.unwrap_or(DEFAULT_LIMIT)
    }

    /// The order rows come in: the chosen keys, or the tab's default.
    pub fn effective_sort(&self) -> Vec<SortKey> {
        if self.sort.is_empty() {
            self.tab.default_sort()
        } else {
            self.sort.clone()
        }
    }

    /// Parses a URL query string (without the leading `?`), reporting every
    /// bad parameter by name. Unknown parameters are refused, so a typo
    /// never silently widens a result.
    pub fn from_query_string(query: &str) -> Result<PipelineQuery, Violations> {
        let mut parsed = PipelineQuery::default();
        let mut violations = Violations::new();
        let mut seen: Vec<PipelineParam> = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let Some(param) = PipelineParam::from_name(&key) else {
                violations
                    .0
                    .push(Violation::on(key.into_owned(), ViolationCode::UnknownParameter));
                continue;
            };
            if !param.shape().repeats() && seen.contains(&param) {
                violations.push(param.name(), ViolationCode::Duplicate);
                continue;
            }
            seen.push(param);
            if let Err(code) = parsed.set(param, &value) {
                violations.push(param.name(), code);
            }
        }
        parsed.check_consistency(&mut violations);
        violations.into_result(parsed)
    }

    /// Renders the query string that parses back to this query; defaults
    /// are left out, so links stay short.
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        let f = &self.filters;
        let list = |codes: Vec<String>| (!codes.is_empty()).then(|| codes.join(","));
        let text = |filter: &Option<TextFilter>| filter.as_ref().map(|t| t.0.clone());
        for param in PipelineParam::ALL {
            let value = match param {
                PipelineParam::Tab => (self.tab != Tab::All).then(|| self.tab.as_str().to_owned()),
                PipelineParam::Status => list(f.status.iter().map(|s| s.as_str().to_owned()).collect()),
                PipelineParam::Source => list(f.source.iter().map(|s| s.as_str().to_owned()).collect()),
                PipelineParam::Stage => list(f.stage.iter().map(|s| s.as_str().to_owned()).collect()),
                PipelineParam::Qualifier => list(f.qualifier.iter().map(|q| q.to_string()).collect()),
                PipelineParam::Number => f.number.map(|n| n.to_string()),
                PipelineParam::CreatedFrom => f.created_from.map(|d| d.to_string()),
                PipelineParam::CreatedTo => f.created_to.map(|d| d.to_string()),
                PipelineParam::CloseFrom => f.close_from.map(|d| d.to_string()),
                PipelineParam::CloseTo => f.close_to.map(|d| d.to_string()),
                PipelineParam::Contact => text(&f.contact),
                PipelineParam::Company => text(&f.company),
                PipelineParam::Email => text(&f.email),
                PipelineParam::Phone => text(&f.phone),
                PipelineParam::Subject => text(&f.subject),
                PipelineParam::Owner => f.owner.map(|owner| match owner {
                    OwnerFilter::Me => "me".to_owned(),
                    OwnerFilter::Unassigned => "unassigned".to_owned(),
                    OwnerFilter::User(id) => id.to_string(),
                }),
                PipelineParam::CreatedBy => f.created_by.map(|id| id.to_string()),
                PipelineParam::Campaign => f.campaign.map(|id| id.to_string()),
                PipelineParam::Spam => f.spam.then(|| "true".to_owned()),
                PipelineParam::Tz => f.tz.as_ref().map(CallerTimeZone::render),
                PipelineParam::Sort => list(self.sort.iter().map(|key| key.render()).collect()),
                PipelineParam::Limit => self.limit.map(|n| n.to_string()),
                PipelineParam::Cursor => self.cursor.clone(),
            };
            if let Some(value) = value {
                out.append_pair(param.name(), &value);
            }
        }
        out.finish()
    }

    /// Reads one parameter's value into the query.
    pub(crate) fn set(&mut self, param: PipelineParam, value: &str) -> Result<(), ViolationCode> {
        no_nul(value)?;
        let f = &mut self.filters;
        match param {
            PipelineParam::Tab => self.tab = code(value)?,
            PipelineParam::Status => f.status.extend(codes::<Status>(value)?),
            PipelineParam::Source => f.source.extend(codes::<Source>(value)?),
            PipelineParam::Stage => f.stage.extend(codes::<Stage>(value)?),
            PipelineParam::Qualifier => f.qualifier.extend(ids(value)?.into_iter().map(QualifierId)),
            PipelineParam::Number => f.number = Some(positive(value)?),
            PipelineParam::CreatedFrom => f.created_from = Some(date(value)?),
            PipelineParam::CreatedTo => f.created_to = Some(date(value)?),
            PipelineParam::CloseFrom => f.close_from = Some(date(value)?),
            PipelineParam::CloseTo => f.close_to = Some(date(value)?),
            PipelineParam::Contact => f.contact = TextFilter::parse(value)?,
            PipelineParam::Company => f.company = TextFilter::parse(value)?,
            PipelineParam::Email => f.email = TextFilter::parse(value)?,
            PipelineParam::Phone => {
                let phone = TextFilter::parse(value)?;
                if phone.as_ref().is_some_and(|p| digits_of(p.as_str()).is_empty()) {
                    return Err(ViolationCode::InvalidPhone);
                }
                f.phone = phone;
            }
            PipelineParam::Subject => f.subject = TextFilter::parse(value)?,
            PipelineParam::Owner => f.owner = Some(owner(value)?),
            PipelineParam::CreatedBy => f.created_by = Some(UserId(positive(value)?)),
            PipelineParam::Campaign => f.campaign = Some(CampaignId(positive(value)?)),
            PipelineParam::Spam => f.spam = boolean(value)?,
            PipelineParam::Tz => f.tz = Some(CallerTimeZone::parse(value)?),
            PipelineParam::Sort => self.sort = sort(value)?,
            PipelineParam::Limit => self.limit = Some(limit(value)?),
            PipelineParam::Cursor => self.cursor = Some(cursor(value)?),
        }
        Ok(())
    }

    pub(crate) fn check_consistency(&self, violations: &mut Violations) {
        let f = &self.filters;
        if matches!((f.created_from, f.created_to), (Some(from), Some(to)) if from > to) {
            violations.push("created_to", ViolationCode::InvertedRange);
        }
        if matches!((f.close_from, f.close_to), (Some(from), Some(to)) if from > to) {
            violations.push("close_to", ViolationCode::InvertedRange);
        }
        if f.spam && f.campaign.is_some() {
            violations.push("spam", ViolationCode::InvalidValue);
        }
        for (name, duplicated) in [
            ("status", has_duplicates(&f.status)),
            ("source", has_duplicates(&f.source)),
            ("stage", has_duplicates(&f.stage)),
            ("qualifier", has_duplicates(&f.qualifier)),
        ] {
            if duplicated {
                violations.push(name, ViolationCode::Duplicate);
            }
        }
    }
}

/// No value may hold U+0000 (see [`crate::NO_NUL_PATTERN`]).
fn no_nul(value: &str) -> Result<(), ViolationCode> {
    if value.contains('\0') {
        Err(ViolationCode::InvalidValue)
    } else {
        Ok(())
    }
}

fn has_duplicates<T: PartialEq>(items: &[T]) -> bool {
    items
        .iter()
        .enumerate()
        .any(|(i, item)| items[..i].contains(item))
}

fn code<T: std::str::FromStr>(value: &str) -> Result<T, ViolationCode> {
    value.parse().map_err(|_| ViolationCode::InvalidValue)
}

/// Comma-separated codes; an empty value is an empty list.
fn codes<T: std::str::FromStr>(value: &str) -> Result<Vec<T>, ViolationCode> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    value.split(',').map(code).collect()
}

/// Comma-separated positive ids; an empty value is an empty list.
fn ids(value: &str) -> Result<Vec<i64>, ViolationCode> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    value.split(',').map(positive).collect()
}

/// A positive integer written without sign or leading zeros.
fn positive(value: &str) -> Result<i64, ViolationCode> {
    let digits = !value.is_empty() && !value.starts_with('0') && value.bytes().all(|b| b.is_ascii_digit());
    match value.parse::<i64>() {
        Ok(n) if digits && n > 0 => Ok(n),
        _ => Err(ViolationCode::InvalidValue),
    }
}

/// `YYYY-MM-DD`, a real calendar day.
fn date(value: &str) -> Result<NaiveDate, ViolationCode> {
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped
        .then(|| NaiveDate::parse_from_str(value, "%Y-%m-%d").ok())
        .flatten()
        .ok_or(ViolationCode::InvalidValue)
}

fn boolean(value: &str) -> Result<bool, ViolationCode> {
    match value {
        "false" => Ok(false),
        "true" => Ok(true),
        _ => Err(ViolationCode::InvalidValue),
    }
}

fn owner(value: &str) -> Result<OwnerFilter, ViolationCode> {
    match value {
        "me" => Ok(OwnerFilter::Me),
        "unassigned" => Ok(OwnerFilter::Unassigned),
        text => positive(text).map(|id| OwnerFilter::User(UserId(id))),
    }
}

fn sort(value: &str) -> Result<Vec<SortKey>, ViolationCode> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let mut keys: Vec<SortKey> = Vec::new();
    for part in value.split(',') {
        let key = match part.strip_prefix('-') {
            Some(name) => SortKey::desc(code(name)?),
            None => SortKey::asc(code(part)?),
        };
        if keys.iter().any(|k| k.field == key.field) {
            return Err(ViolationCode::Duplicate);
        }
        keys.push(key);
    }
    Ok(keys)
}

fn limit(value: &str) -> Result<u16, ViolationCode> {
    one_to(value, MAX_LIMIT)
}

/// A whole number from 1 to `max`, without sign or leading zeros.
fn one_to(value: &str, max: u16) -> Result<u16, ViolationCode> {
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    match value.parse::<u32>() {
        _ if !digits || (value.starts_with('0') && value != "0") => Err(ViolationCode::InvalidValue),
        Ok(n) if (1..=u32::from(max)).contains(&n) => Ok(n as u16),
        _ => Err(ViolationCode::OutOfRange),
    }
}

fn cursor(value: &str) -> Result<String, ViolationCode> {
    match value.chars().count() {
        0 => Err(ViolationCode::Blank),
        n if n > MAX_CURSOR_CHARS => Err(ViolationCode::TooLong),
        _ => Ok(value.to_owned()),
    }
}

parameters! {
    /// The parameters of the funnel's figures besides the pipeline's
    /// filters; each figure accepts some of them.
    pub enum AnalyticsParam {
        From => "from", ParamShape::Date,
            "First day (inclusive) of the period, in `tz`.";
        To => "to", ParamShape::Date,
            "Last day (inclusive) of the period, in `tz`; not before `from`, at most 36 months after it.";
        GroupBy => "group_by", ParamShape::Code(&["none", "source", "owner", "qualifier"]),
            "How the closed cases are grouped: `none` (default), `source`, `owner` (the current one) \
             or `qualifier`.";
        Months => "months", ParamShape::Limit { max: 24 },
            "Months ahead from the current one in `tz` (and as many past ones), 1 to 24 (default 6).";
    }
}

impl AnalyticsParam {
    /// The figures over a period.
    pub const PERIOD: &'static [AnalyticsParam] = &[AnalyticsParam::From, AnalyticsParam::To];
    /// The outcomes: a period and a grouping.
    pub const OUTCOMES: &'static [AnalyticsParam] =
        &[AnalyticsParam::From, AnalyticsParam::To, AnalyticsParam::GroupBy];
    /// The forecast: months, no period.
    pub const FORECAST: &'static [AnalyticsParam] = &[AnalyticsParam::Months];
}

impl PipelineParam {
    /// The pipeline's filters a figure narrows its cases by: all but the
    /// tab, the order, the paging and SPAM, which no figure covers.
    pub fn narrows_figures(self) -> bool {
        !matches!(
            self,
            PipelineParam::Tab
                | PipelineParam::Sort
                | PipelineParam::Limit
                | PipelineParam::Cursor
                | PipelineParam::Spam
        )
    }
}

/// A request for one of the funnel's figures: the pipeline's filters and
/// the figure's own parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsQuery {
    pub filters: PipelineFilters,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub group_by: crate::analytics::GroupBy,
    pub months: u16,
}

impl AnalyticsQuery {
    /// Parses a query string, naming each bad parameter; a parameter the
    /// figure does not take is refused as unknown.
    pub fn from_query_string(query: &str, accepted: &[AnalyticsParam]) -> Result<AnalyticsQuery, Violations> {
        use crate::analytics::GroupBy;
        let mut pipeline = PipelineQuery::default();
        let mut parsed = AnalyticsQuery {
            filters: PipelineFilters::default(),
            from: None,
            to: None,
            group_by: GroupBy::None,
            months: 6,
        };
        let mut violations = Violations::new();
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let own = AnalyticsParam::from_name(&key).filter(|param| accepted.contains(param));
            let filter = PipelineParam::from_name(&key).filter(|param| param.narrows_figures());
            let (name, repeats) = match (own, filter) {
                (Some(param), _) => (param.name(), param.shape().repeats()),
                (None, Some(param)) => (param.name(), param.shape().repeats()),
                (None, None) => {
                    violations
                        .0
                        .push(Violation::on(key.into_owned(), ViolationCode::UnknownParameter));
                    continue;
                }
            };
            if !repeats && seen.contains(&name) {
                violations.push(name, ViolationCode::Duplicate);
                continue;
            }
            seen.push(name);
            let outcome = match (own, filter) {
                (Some(param), _) => no_nul(&value).and_then(|()| match param {
                    AnalyticsParam::From => date(&value).map(|day| parsed.from = Some(day)),
                    AnalyticsParam::To => date(&value).map(|day| parsed.to = Some(day)),
                    AnalyticsParam::GroupBy => {
                        parsed.group_by = match value.as_ref() {
                            "none" => GroupBy::None,
                            "source" => GroupBy::Source,
                            "owner" => GroupBy::Owner,
                            "qualifier" => GroupBy::Qualifier,
                            _ => return Err(ViolationCode::InvalidValue),
                        };
                        Ok(())
                    }
                    AnalyticsParam::Months => one_to(&value, 24).map(|months| parsed.months = months),
                }),
                (None, Some(param)) => pipeline.set(param, &value),
                (None, None) => Ok(()),
            };
            if let Err(code) = outcome {
                violations.push(name, code);
            }
        }
        pipeline.check_consistency(&mut violations);
        parsed.filters = pipeline.filters;
        violations.into_result(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> PipelineQuery {
        PipelineQuery::from_query_string(query).unwrap()
    }

    fn errors(query: &str) -> Vec<(String, ViolationCode)> {
        PipelineQuery::from_query_string(query)
            .unwrap_err()
            .0
            .into_iter()
            .map(|v| (v.field.into_owned(), v.code))
            .collect()
    }

    #[test]
    fn the_six_tabs_map_to_their_statuses() {
        assert_eq!(Tab::All.status(), None);
        assert_eq!(Tab::New.status(), Some(Status::AwaitingPickup));
        assert_eq!(Tab::InAcquisition.status(), Some(Status::InAcquisition));
        assert_eq!(Tab::Resigned.status(), Some(Status::Resigned));
        assert_eq!(Tab::Offered.status(), Some(Status::Offered));
        assert_eq!(Tab::Acquired.status(), Some(Status::Acquired));
        assert_eq!(Tab::ALL.len(), 6);
    }

    #[test]
    fn the_offered_tab_opens_sorted_by_follow_up_date() {
        assert_eq!(
            parse("tab=offered").effective_sort(),
            [SortKey::asc(SortField::FollowUpAt)]
        );
        assert_eq!(parse("").effective_sort(), [SortKey::desc(SortField::CreatedAt)]);
    }

    #[test]
    fn an_empty_query_is_the_all_tab_with_no_filters() {
        let query = parse("");
        assert_eq!(query, PipelineQuery::default());
        assert_eq!(query.page_size(), DEFAULT_LIMIT);
        assert_eq!(query.to_query_string(), "");
    }

    #[test]
    fn lists_take_commas_and_repeats() {
        let query = parse("status=offered,resigned&source=phone&source=chat");
        assert_eq!(query.filters.status, [Status::Offered, Status::Resigned]);
        assert_eq!(query.filters.source, [Source::Phone, Source::Chat]);
    }

    #[test]
    fn the_tab_narrows_the_status_filter() {
        let query = parse("tab=offered&status=offered,resigned");
        assert_eq!(query.filters.statuses_for(query.tab), Some(vec![Status::Offered]));
        assert_eq!(query.filters.statuses_for(Tab::Acquired), Some(vec![]));
        assert_eq!(
            query.filters.statuses_for(Tab::All),
            Some(vec![Status::Offered, Status::Resigned])
        );
        assert_eq!(PipelineFilters::default().statuses_for(Tab::All), None);
    }

    #[test]
    fn sort_keys_are_comma_separated_with_a_minus_for_descending() {
        let query = parse("sort=-created_at,number");
        assert_eq!(
            query.sort,
            [
                SortKey::desc(SortField::CreatedAt),
                SortKey::asc(SortField::Number)
            ]
        );
        assert_eq!(query.to_query_string(), "sort=-created_at%2Cnumber");
    }

    #[test]
    fn every_sort_key_of_the_contract_is_accepted() {
        for key in [
            "number",
            "source",
            "status",
            "stage",
            "created_at",
            "expected_close_date",
            "follow_up_at",
            "contact",
            "company",
            "email",
            "subject",
            "owner",
        ] {
            assert_eq!(parse(&format!("sort=-{key}")).sort[0].field.as_str(), key);
        }
    }

    #[test]
    fn owner_is_me_unassigned_or_a_user_id() {
        assert_eq!(parse("owner=me").filters.owner, Some(OwnerFilter::Me));
        assert_eq!(
            parse("owner=unassigned").filters.owner,
            Some(OwnerFilter::Unassigned)
        );
        assert_eq!(parse("owner=7").filters.owner, Some(OwnerFilter::User(UserId(7))));
        assert_eq!(
            errors("owner=nobody"),
            [("owner".to_owned(), ViolationCode::InvalidValue)]
        );
    }

    #[cfg(feature = "tz")]
    #[test]
    fn created_dates_are_inclusive_days_in_the_callers_time_zone() {
        let query = parse("created_from=2026-11-26&created_to=2026-11-27&tz=%2B01:00");
        let (from, to) = query.filters.created_between();
        assert_eq!(from.unwrap().to_rfc3339(), "2026-11-25T23:00:00+00:00");
        assert_eq!(to.unwrap().to_rfc3339(), "2026-11-27T23:00:00+00:00");
        let utc = parse("created_from=2026-11-26");
        assert_eq!(
            utc.filters.created_between().0.unwrap().to_rfc3339(),
            "2026-11-26T00:00:00+00:00"
        );
    }

    fn offset(minutes: i32) -> Option<CallerTimeZone> {
        Some(CallerTimeZone::Offset(UtcOffset::from_minutes(minutes).unwrap()))
    }

    #[test]
    fn a_plus_decoded_as_a_space_still_reads_as_a_positive_offset() {
        assert_eq!(parse("tz=+02:00").filters.tz, offset(120));
        assert_eq!(parse("tz=%2B02:00").filters.tz, offset(120));
        assert_eq!(parse("tz=-05:30").filters.tz, offset(-330));
        assert_eq!(parse("tz=Z").filters.tz, offset(0));
        assert_eq!(
            errors("tz=%2B18:30"),
            [("tz".to_owned(), ViolationCode::OutOfRange)]
        );
    }

    #[test]
    fn a_time_zone_may_be_an_iana_name() {
        let query = parse("tz=Europe/Warsaw");
        assert_eq!(
            query.filters.tz,
            Some(CallerTimeZone::Named(ZoneName("Europe/Warsaw".to_owned())))
        );
        assert_eq!(query.to_query_string(), "tz=Europe%2FWarsaw");
        for bad in ["tz=Europe%2FWarsaw%20", "tz=%2FEurope", "tz=", "tz=1Europe"] {
            assert_eq!(
                errors(bad),
                [("tz".to_owned(), ViolationCode::InvalidValue)],
                "{bad}"
            );
        }
    }

    #[cfg(feature = "tz")]
    #[test]
    fn only_zones_of_the_database_are_accepted_and_all_of_them_are() {
        assert_eq!(
            errors("tz=Europe/Gotham"),
            [("tz".to_owned(), ViolationCode::InvalidValue)]
        );
        for name in ZoneName::all() {
            assert_eq!(ZoneName::parse(name).map(|zone| zone.0), Ok(name.to_owned()));
        }
    }

    #[cfg(feature = "tz")]
    #[test]
    fn days_in_a_named_zone_follow_its_daylight_saving_changes() {
        // Warsaw: UTC+1 in winter, UTC+2 in summer; the clocks go back on
        // 2026-10-25 and forward on 2026-03-29.
        let between = |query: &str| {
            let (from, to) = parse(query).filters.created_between();
            (from.unwrap().to_rfc3339(), to.unwrap().to_rfc3339())
        };
        assert_eq!(
            between("created_from=2026-10-25&created_to=2026-10-25&tz=Europe/Warsaw"),
            (
                "2026-10-24T22:00:00+00:00".to_owned(),
                "2026-10-25T23:00:00+00:00".to_owned()
            )
        );
        assert_eq!(
            between("created_from=2026-03-29&created_to=2026-03-29&tz=Europe/Warsaw"),
            (
                "2026-03-28T23:00:00+00:00".to_owned(),
                "2026-03-29T22:00:00+00:00".to_owned()
            )
        );
        // Havana skips midnight: 2026-03-08 begins at 01:00 local (05:00 UTC).
        let havana = ZoneName::parse("America/Havana").unwrap();
        assert_eq!(
            havana
                .start_of_day(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap())
                .to_rfc3339(),
            "2026-03-08T05:00:00+00:00"
        );
    }

    #[test]
    fn phone_filters_compare_digits_only() {
        assert_eq!(
            parse("phone=%2B48 601-234").filters.phone_digits().unwrap(),
            "48601234"
        );
        assert_eq!(
            errors("phone=abc"),
            [("phone".to_owned(), ViolationCode::InvalidPhone)]
        );
    }

    #[test]
    fn bad_parameters_are_all_reported_by_name() {
        let found = errors("status=won&limit=500&created_from=yesterday&colour=red&sort=-number,number");
        assert_eq!(
            found,
            [
                ("status".to_owned(), ViolationCode::InvalidValue),
                ("limit".to_owned(), ViolationCode::OutOfRange),
                ("created_from".to_owned(), ViolationCode::InvalidValue),
                ("colour".to_owned(), ViolationCode::UnknownParameter),
                ("sort".to_owned(), ViolationCode::Duplicate),
            ]
        );
    }

    #[test]
    fn an_inverted_date_range_is_refused() {
        assert_eq!(
            errors("close_from=2026-12-01&close_to=2026-11-01"),
            [("close_to".to_owned(), ViolationCode::InvertedRange)]
        );
    }

    #[test]
    fn a_repeated_single_value_parameter_is_refused() {
        assert_eq!(
            errors("number=1&number=2"),
            [("number".to_owned(), ViolationCode::Duplicate)]
        );
    }

    #[test]
    fn a_repeated_list_value_is_refused() {
        assert_eq!(
            errors("status=offered&status=offered"),
            [("status".to_owned(), ViolationCode::Duplicate)]
        );
    }

    #[test]
    fn spam_and_an_explicit_campaign_exclude_each_other() {
        assert_eq!(
            errors("spam=true&campaign=3"),
            [("spam".to_owned(), ViolationCode::InvalidValue)]
        );
        assert!(parse("spam=true").filters.spam);
    }

    #[test]
    fn empty_lists_and_blank_texts_count_as_not_given() {
        assert_eq!(
            parse("contact=&subject=%20%20&status=&qualifier=&sort="),
            PipelineQuery::default()
        );
    }

    #[test]
    fn other_values_are_read_exactly() {
        let found = errors("owner=&number=%201&limit=&spam=1&tab=%20new&status=offered,%20resigned&cursor=");
        assert_eq!(
            found,
            [
                ("owner".to_owned(), ViolationCode::InvalidValue),
                ("number".to_owned(), ViolationCode::InvalidValue),
                ("limit".to_owned(), ViolationCode::InvalidValue),
                ("spam".to_owned(), ViolationCode::InvalidValue),
                ("tab".to_owned(), ViolationCode::InvalidValue),
                ("status".to_owned(), ViolationCode::InvalidValue),
                ("cursor".to_owned(), ViolationCode::Blank),
            ]
        );
        assert_eq!(
            errors("number=007"),
            [("number".to_owned(), ViolationCode::InvalidValue)]
        );
        assert_eq!(
            errors("created_from=2026-1-01"),
            [("created_from".to_owned(), ViolationCode::InvalidValue)]
        );
        assert_eq!(
            errors("sort=%2Bnumber"),
            [("sort".to_owned(), ViolationCode::InvalidValue)]
        );
    }

    #[test]
    fn a_text_filter_counts_its_length_as_sent() {
        let long = "x".repeat(MAX_TEXT_FILTER_CHARS);
        assert!(PipelineQuery::from_query_string(&format!("subject={long}")).is_ok());
        assert_eq!(
            errors(&format!("subject=%20{long}")),
            [("subject".to_owned(), ViolationCode::TooLong)]
        );
    }

    #[test]
    fn a_simple_list_takes_only_its_own_parameters_each_once() {
        let query = ListQuery::from_query_string("q=%20kowal%20&limit=20", ListParam::SEARCH).unwrap();
        assert_eq!(query.q.as_ref().map(TextFilter::as_str), Some("kowal"));
        assert_eq!(query.page_size(), 20);
        let refused =
            ListQuery::from_query_string("q=a&limit=0&limit=5&tab=new", ListParam::PAGE).unwrap_err();
        let found: Vec<_> = refused.iter().map(|v| (v.field.to_string(), v.code)).collect();
        assert_eq!(
            found,
            [
                ("q".to_owned(), ViolationCode::UnknownParameter),
                ("limit".to_owned(), ViolationCode::OutOfRange),
                ("limit".to_owned(), ViolationCode::Duplicate),
                ("tab".to_owned(), ViolationCode::UnknownParameter),
            ]
        );
    }

    #[test]
    fn every_parameter_of_the_table_is_read_by_name() {
        for param in PipelineParam::ALL {
            assert_eq!(PipelineParam::from_name(param.name()), Some(*param));
        }
        assert_eq!(PipelineParam::ALL.len(), 23);
    }

    #[test]
    fn limit_is_between_one_and_two_hundred() {
        assert_eq!(parse("limit=200").page_size(), 200);
        assert_eq!(
            errors("limit=0"),
            [("limit".to_owned(), ViolationCode::OutOfRange)]
        );
    }
}
