//! The pipeline list's query model (api.md, "Pipeline list filters"): typed
//! filters and sort keys, parsed from and rendered to a URL query string,
//! so the server and the client read the same links the same way.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

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
const MAX_TEXT_FILTER_CHARS: usize = 200;
/// The longest cursor accepted; real ones are far shorter.
const MAX_CURSOR_CHARS: usize = 1024;

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
    pub fn parse(raw: &str) -> Result<Option<TextFilter>, ViolationCode> {
        let text = raw.trim();
        if text.is_empty() {
            Ok(None)
        } else if text.chars().count() > MAX_TEXT_FILTER_CHARS {
            Err(ViolationCode::TooLong)
        } else {
            Ok(Some(TextFilter(text.to_owned())))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The caller's offset from UTC, for interpreting date filters on
/// `created_at`, written `Z`, `+01:00` or `-05:30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct UtcOffset {
    minutes: i16,
}

impl UtcOffset {
    pub const UTC: UtcOffset = UtcOffset { minutes: 0 };

    pub fn from_minutes(minutes: i32) -> Result<Self, ViolationCode> {
        if (-18 * 60..=18 * 60).contains(&minutes) {
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
        // A `+` typed into a URL arrives decoded as a space.
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
    pub tz: Option<UtcOffset>,
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
    pub fn created_between(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let offset = self.tz.unwrap_or_default();
        (
            self.created_from.map(|day| offset.start_of_day(day)),
            self.created_to
                .and_then(|day| day.checked_add_days(Days::new(1)))
                .map(|day| offset.start_of_day(day)),
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
        let mut seen: Vec<String> = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let is_list = LIST_PARAMETERS.contains(&key.as_ref());
            if !is_list && seen.iter().any(|k| *k == key) {
                violations
                    .0
                    .push(Violation::on(key.into_owned(), ViolationCode::Duplicate));
                continue;
            }
            seen.push(key.to_string());
            if let Err(violation) = parsed.set(&key, &value) {
                violations.0.push(violation);
            }
        }
        parsed.check_consistency(&mut violations);
        violations.into_result(parsed)
    }

    /// Renders the query string that parses back to this query; defaults
    /// are left out, so links stay short.
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if self.tab != Tab::All {
            out.append_pair("tab", self.tab.as_str());
        }
        let f = &self.filters;
        let mut list = |name: &str, codes: Vec<String>| {
            if !codes.is_empty() {
                out.append_pair(name, &codes.join(","));
            }
        };
        list("status", f.status.iter().map(|s| s.as_str().to_owned()).collect());
        list("source", f.source.iter().map(|s| s.as_str().to_owned()).collect());
        list("stage", f.stage.iter().map(|s| s.as_str().to_owned()).collect());
        list("qualifier", f.qualifier.iter().map(|q| q.to_string()).collect());
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let mut put = |name, value: Option<String>| {
            if let Some(value) = value {
                pairs.push((name, value));
            }
        };
        put("number", f.number.map(|n| n.to_string()));
        put("created_from", f.created_from.map(|d| d.to_string()));
        put("created_to", f.created_to.map(|d| d.to_string()));
        put("close_from", f.close_from.map(|d| d.to_string()));
        put("close_to", f.close_to.map(|d| d.to_string()));
        put("contact", f.contact.as_ref().map(|t| t.0.clone()));
        put("company", f.company.as_ref().map(|t| t.0.clone()));
        put("email", f.email.as_ref().map(|t| t.0.clone()));
        put("phone", f.phone.as_ref().map(|t| t.0.clone()));
        put("subject", f.subject.as_ref().map(|t| t.0.clone()));
        put(
            "owner",
            f.owner.map(|owner| match owner {
                OwnerFilter::Me => "me".to_owned(),
                OwnerFilter::Unassigned => "unassigned".to_owned(),
                OwnerFilter::User(id) => id.to_string(),
            }),
        );
        put("created_by", f.created_by.map(|id| id.to_string()));
        put("campaign", f.campaign.map(|id| id.to_string()));
        put("spam", f.spam.then(|| "true".to_owned()));
        put("tz", f.tz.map(UtcOffset::render));
        put(
            "sort",
            (!self.sort.is_empty()).then(|| {
                self.sort
                    .iter()
                    .map(|key| key.render())
                    .collect::<Vec<_>>()
                    .join(",")
            }),
        );
        put("limit", self.limit.map(|n| n.to_string()));
        put("cursor", self.cursor.clone());
        for (name, value) in pairs {
            out.append_pair(name, &value);
        }
        out.finish()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), Violation> {
        let field = |code| Violation::on(key, code);
        let f = &mut self.filters;
        match key {
            "tab" => self.tab = parse_code(value).map_err(field)?,
            "status" => f.status.extend(parse_list::<Status>(value).map_err(field)?),
            "source" => f.source.extend(parse_list::<Source>(value).map_err(field)?),
            "stage" => f.stage.extend(parse_list::<Stage>(value).map_err(field)?),
            "qualifier" => f
                .qualifier
                .extend(parse_list::<QualifierId>(value).map_err(field)?),
            "number" => f.number = parse_positive(value).map_err(field)?,
            "created_from" => f.created_from = parse_date(value).map_err(field)?,
            "created_to" => f.created_to = parse_date(value).map_err(field)?,
            "close_from" => f.close_from = parse_date(value).map_err(field)?,
            "close_to" => f.close_to = parse_date(value).map_err(field)?,
            "contact" => f.contact = TextFilter::parse(value).map_err(field)?,
            "company" => f.company = TextFilter::parse(value).map_err(field)?,
            "email" => f.email = TextFilter::parse(value).map_err(field)?,
            "phone" => {
                let phone = TextFilter::parse(value).map_err(field)?;
                if phone.as_ref().is_some_and(|p| digits_of(p.as_str()).is_empty()) {
                    return Err(field(ViolationCode::InvalidPhone));
                }
                f.phone = phone;
            }
            "subject" => f.subject = TextFilter::parse(value).map_err(field)?,
            "owner" => f.owner = parse_owner(value).map_err(field)?,
            "created_by" => f.created_by = parse_positive(value).map_err(field)?.map(UserId),
            "campaign" => f.campaign = parse_positive(value).map_err(field)?.map(CampaignId),
            "spam" => f.spam = parse_bool(value).map_err(field)?,
            "tz" => {
                f.tz = match value.trim_end() {
                    "" => None,
                    text => Some(UtcOffset::parse(text).map_err(field)?),
                }
            }
            "sort" => self.sort = parse_sort(value).map_err(field)?,
            "limit" => {
                self.limit = match value.trim() {
                    "" => None,
                    text => match text.parse::<u16>() {
                        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Some(n),
                        Ok(_) => return Err(field(ViolationCode::OutOfRange)),
                        Err(_) => return Err(field(ViolationCode::InvalidValue)),
                    },
                }
            }
            "cursor" => {
                self.cursor = match value.trim() {
                    "" => None,
                    text if text.len() > MAX_CURSOR_CHARS => return Err(field(ViolationCode::TooLong)),
                    text => Some(text.to_owned()),
                }
            }
            _ => return Err(field(ViolationCode::UnknownParameter)),
        }
        Ok(())
    }

    fn check_consistency(&self, violations: &mut Violations) {
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

/// Parameters that take a comma-separated list and may also be repeated.
const LIST_PARAMETERS: [&str; 4] = ["status", "source", "stage", "qualifier"];

fn has_duplicates<T: PartialEq>(items: &[T]) -> bool {
    items
        .iter()
        .enumerate()
        .any(|(i, item)| items[..i].contains(item))
}

fn parse_code<T: std::str::FromStr>(value: &str) -> Result<T, ViolationCode> {
    value.trim().parse().map_err(|_| ViolationCode::InvalidValue)
}

fn parse_list<T: std::str::FromStr>(value: &str) -> Result<Vec<T>, ViolationCode> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    value.split(',').map(parse_code).collect()
}

fn parse_positive(value: &str) -> Result<Option<i64>, ViolationCode> {
    match value.trim() {
        "" => Ok(None),
        text => match text.parse::<i64>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(ViolationCode::InvalidValue),
        },
    }
}

fn parse_date(value: &str) -> Result<Option<NaiveDate>, ViolationCode> {
    match value.trim() {
        "" => Ok(None),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ViolationCode::InvalidValue),
    }
}

fn parse_bool(value: &str) -> Result<bool, ViolationCode> {
    match value.trim() {
        "" | "false" | "0" => Ok(false),
        "true" | "1" => Ok(true),
        _ => Err(ViolationCode::InvalidValue),
    }
}

fn parse_owner(value: &str) -> Result<Option<OwnerFilter>, ViolationCode> {
    match value.trim() {
        "" => Ok(None),
        "me" => Ok(Some(OwnerFilter::Me)),
        "unassigned" => Ok(Some(OwnerFilter::Unassigned)),
        text => parse_positive(text).map(|id| id.map(|id| OwnerFilter::User(UserId(id)))),
    }
}

fn parse_sort(value: &str) -> Result<Vec<SortKey>, ViolationCode> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut keys: Vec<SortKey> = Vec::new();
    for part in value.split(',') {
        let part = part.trim();
        let key = match part.strip_prefix('-') {
            Some(name) => SortKey::desc(parse_code(name)?),
            None => SortKey::asc(parse_code(part.strip_prefix('+').unwrap_or(part))?),
        };
        if keys.iter().any(|k| k.field == key.field) {
            return Err(ViolationCode::Duplicate);
        }
        keys.push(key);
    }
    Ok(keys)
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

    #[test]
    fn a_plus_decoded_as_a_space_still_reads_as_a_positive_offset() {
        assert_eq!(parse("tz=+02:00").filters.tz.unwrap().minutes(), 120);
        assert_eq!(parse("tz=-05:30").filters.tz.unwrap().minutes(), -330);
        assert_eq!(parse("tz=Z").filters.tz, Some(UtcOffset::UTC));
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
    fn empty_values_count_as_not_given() {
        assert_eq!(
            parse("contact=&status=&owner=&number=&limit="),
            PipelineQuery::default()
        );
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
