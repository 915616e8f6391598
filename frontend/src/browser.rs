//! Thin wrappers over the browser: storage, clocks, local calendar days and
//! the `Intl` formatters. Everything that touches `web_sys`/`js_sys`
//! directly outside the components lives here.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use lejek_domain::{CallerTimeZone, UtcOffset, ZoneName};
use wasm_bindgen::prelude::*;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// A value remembered in this browser (`localStorage`).
pub fn load_local(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

pub fn store_local(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// A value remembered for this tab only (`sessionStorage`): it survives a
/// reload but not closing the tab.
pub fn load_session(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok()?
}

pub fn store_session(key: &str, value: Option<&str>) {
    if let Some(storage) = session_storage() {
        let _ = match value {
            Some(value) => storage.set_item(key, value),
            None => storage.remove_item(key),
        };
    }
}

/// The browser's preferred language tag, e.g. `pl-PL`.
pub fn navigator_language() -> String {
    web_sys::window()
        .and_then(|window| window.navigator().language())
        .unwrap_or_default()
}

pub fn set_document_language(code: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    {
        let _ = root.set_attribute("lang", code);
    }
}

pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(title);
    }
}

/// Loads the current URL again from the server, unless that was just done
/// for it (then `false`: the server answered with the same bundle, so
/// loading again would loop).
pub fn reload_once() -> bool {
    const KEY: &str = "lejek.reloaded";
    let Some(location) = web_sys::window().map(|window| window.location()) else {
        return false;
    };
    let href = location.href().unwrap_or_default();
    let now = js_sys::Date::now();
    let last = load_session(KEY).and_then(|value| {
        let (at, url) = value.split_once(' ')?;
        Some((at.parse::<f64>().ok()?, url.to_owned()))
    });
    if last.is_some_and(|(at, url)| url == href && now - at < 10_000.0) {
        store_session(KEY, None);
        return false;
    }
    store_session(KEY, Some(&format!("{now} {href}")));
    location.reload().is_ok()
}

/// Opens `href` as a new page load (another bundle's route, or a link
/// drawn in SVG, which the router does not follow).
pub fn open(href: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(href);
    }
}

/// What a chart's linked shape does on a click and on Enter: opens `href`
/// (nothing without one).
pub fn link_actions(
    href: Option<String>,
) -> (
    impl Fn(web_sys::MouseEvent) + 'static,
    impl Fn(web_sys::KeyboardEvent) + 'static,
) {
    let on_key = href.clone();
    let click = move |_: web_sys::MouseEvent| {
        if let Some(href) = &href {
            open(href);
        }
    };
    let key = move |event: web_sys::KeyboardEvent| {
        if event.key() == "Enter"
            && let Some(href) = &on_key
        {
            open(href);
        }
    };
    (click, key)
}

/// Moves keyboard focus to the first element matching `selector`.
pub fn focus(selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.query_selector(selector).ok().flatten())
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// The current instant.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The browser's time zone, for date filters on `created_at`: its IANA name
/// (`Europe/Warsaw`), so days are right across daylight-saving changes; the
/// current offset from UTC if the browser names none.
pub fn time_zone() -> CallerTimeZone {
    let options =
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    js_sys::Reflect::get(&options, &wasm_bindgen::JsValue::from_str("timeZone"))
        .ok()
        .and_then(|zone| zone.as_string())
        .and_then(|name| ZoneName::parse(&name).ok())
        .map(CallerTimeZone::Named)
        .unwrap_or_else(|| {
            let minutes = -(js_sys::Date::new_0().get_timezone_offset() as i32);
            CallerTimeZone::Offset(UtcOffset::from_minutes(minutes).unwrap_or_default())
        })
}

/// Today in the browser's time zone.
pub fn today() -> NaiveDate {
    let date = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(date.get_full_year() as i32, date.get_month() + 1, date.get_date())
        .unwrap_or_default()
}

/// The calendar year of an instant in the browser's time zone.
pub fn year_of(at: DateTime<Utc>) -> i32 {
    js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64)).get_full_year() as i32
}

/// Monday of the week `day` falls in.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
        .unwrap_or(day)
}

pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

pub fn month_end(day: NaiveDate) -> NaiveDate {
    let next = if day.month() == 12 {
        NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
    };
    next.and_then(|next| next.pred_opt()).unwrap_or(day)
}

/// The value of an `<input type="datetime-local">` for an instant, in the
/// browser's time zone (`2026-11-27T14:30`).
pub fn to_local_input(at: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// The instant an `<input type="datetime-local">` value means in the
/// browser's time zone; `None` when empty or unreadable.
pub fn from_local_input(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let millis = js_sys::Date::new(&JsValue::from_str(text)).get_time();
    if millis.is_nan() {
        None
    } else {
        DateTime::from_timestamp_millis(millis as i64)
    }
}

/// A key no other request of this user will carry (idempotency keys).
pub fn random_key() -> String {
    let a = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    let b = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    format!("{a:x}{b:x}{:x}", js_sys::Date::now() as u64)
}

/// The two `Intl` classes the client formats with.
mod intl {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Intl)]
        pub type DateTimeFormat;
        #[wasm_bindgen(constructor, js_namespace = Intl)]
        pub fn new(locale: &str, options: &JsValue) -> DateTimeFormat;
        #[wasm_bindgen(method)]
        pub fn format(this: &DateTimeFormat, millis: f64) -> String;

        #[wasm_bindgen(js_namespace = Intl)]
        pub type NumberFormat;
        #[wasm_bindgen(constructor, js_namespace = Intl)]
        pub fn new(locale: &str, options: &JsValue) -> NumberFormat;
        #[wasm_bindgen(method)]
        pub fn format(this: &NumberFormat, value: f64) -> String;
    }
}

thread_local! {
    static DATE_FORMATS: RefCell<HashMap<String, intl::DateTimeFormat>> = RefCell::new(HashMap::new());
    static NUMBER_FORMATS: RefCell<HashMap<String, intl::NumberFormat>> = RefCell::new(HashMap::new());
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap_or(JsValue::UNDEFINED)
}

/// Formats an instant with a cached `Intl.DateTimeFormat`.
pub fn format_instant(millis: f64, locale: &str, style: &'static str) -> String {
    let key = format!("{locale}|{style}");
    DATE_FORMATS.with(|formats| {
        formats
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| intl::DateTimeFormat::new(locale, &options(style)))
            .format(millis)
    })
}

/// Formats a number with a cached `Intl.NumberFormat`.
pub fn format_number(value: f64, locale: &str, style: &str) -> String {
    let key = format!("{locale}|{style}");
    NUMBER_FORMATS.with(|formats| {
        formats
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| intl::NumberFormat::new(locale, &options(style)))
            .format(value)
    })
}
