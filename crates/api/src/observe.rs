//! What every request leaves behind for operators: an id that its log
//! lines, its `X-Request-Id` header and its problem document share, one
//! access log line, and (when metrics are on) its count and latency per
//! route template and status class.

use std::collections::BTreeMap;
use std::sync::RwLock;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use rand::Rng;
use tracing::Instrument;

use crate::state::AppState;

/// The header a request id travels in, both ways.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    /// The id of the request whose handler runs on this task.
    static REQUEST_ID: String;
}

/// The id of the request being answered, outside a request `None`.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The id a proxy in front already gave the request (`X-Request-Id`), when
/// the proxy is trusted and the id is a plain token; otherwise a new one.
fn request_id(request: &ServiceRequest, trust_proxy: bool) -> String {
    let given = trust_proxy
        .then(|| request.headers().get(REQUEST_ID_HEADER))
        .flatten()
        .and_then(|value| value.to_str().ok())
        .filter(|id| {
            (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        });
    match given {
        Some(id) => id.to_owned(),
        None => format!("{:016x}", rand::thread_rng().r#gen::<u64>()),
    }
}

/// The label of a route template, kept once per template for the life of
/// the process so that recording allocates nothing. Unrouted paths (the
/// client's files, unknown paths) share one label, so a scan of random
/// URLs cannot grow the series; the templates are the server's own, so
/// they are few.
fn route_label(pattern: Option<String>) -> &'static str {
    static LABELS: RwLock<BTreeMap<String, &'static str>> = RwLock::new(BTreeMap::new());
    let Some(pattern) = pattern else {
        return "unrouted";
    };
    if let Some(label) = LABELS
        .read()
        .ok()
        .and_then(|labels| labels.get(&pattern).copied())
    {
        return label;
    }
    let Ok(mut labels) = LABELS.write() else {
        return "unrouted";
    };
    labels
        .entry(pattern)
        .or_insert_with_key(|pattern| Box::leak(pattern.clone().into_boxed_str()))
}

/// The request metrics' names.
pub const REQUESTS_TOTAL: &str = "lejek_http_requests_total";
pub const REQUEST_SECONDS: &str = "lejek_http_request_duration_seconds";

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// Runs the rest of the chain for `request` inside the request's span and
/// id, turns an error into its answer there (so the problem document
/// carries the id), then logs and counts the answer.
pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let (trust_proxy, record_metrics) = request
        .app_data::<web::Data<AppState>>()
        .map_or((false, false), |state| {
            (state.settings.trust_proxy, state.record_metrics)
        });
    let id = request_id(&request, trust_proxy);
    let method = method_label(request.method());
    let path = request.path().to_owned();
    let route = record_metrics.then(|| request.match_pattern());
    let span = tracing::info_span!("request", request_id = %id);
    let header = HeaderValue::from_str(&id).ok();
    // An error that left the chain becomes its answer here, within the
    // request's id, so its problem document names the id too.
    let answered = REQUEST_ID
        .scope(id, async {
            next.call(request)
                .await
                .map(ServiceResponse::map_into_boxed_body)
                .map_err(|error| {
                    let response = error.error_response();
                    (error, response)
                })
        })
        .instrument(span.clone())
        .await;
    let (status, answer) = match answered {
        Ok(mut response) => {
            if let Some(value) = header {
                response.headers_mut().insert(REQUEST_ID_HEADER, value);
            }
            (response.status().as_u16(), Ok(response))
        }
        Err((error, mut response)) => {
            if let Some(value) = header {
                response.headers_mut().insert(REQUEST_ID_HEADER, value);
            }
            let status = response.status().as_u16();
            let error = actix_web::error::InternalError::from_response(error.to_string(), response);
            (status, Err(error.into()))
        }
    };
    let elapsed = started.elapsed();
    span.in_scope(|| {
        tracing::info!(
            target: "lejek::access",
            method,
            path,
            status,
            ms = elapsed.as_secs_f64() * 1000.0,
            "answered"
        );
    });
    if record_metrics {
        let labels = [
            ("method", method),
            ("route", route_label(route.flatten())),
            ("status", status_class(status)),
        ];
        metrics::counter!(REQUESTS_TOTAL, &labels).increment(1);
        metrics::histogram!(REQUEST_SECONDS, &labels).record(elapsed.as_secs_f64());
    }
    answer
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn a_trusted_proxys_plain_id_is_kept_and_anything_else_replaced() {
        let with = |value: &str| {
            TestRequest::default()
                .insert_header(("X-Request-Id", value))
                .to_srv_request()
        };
        assert_eq!(request_id(&with("abc-123_x.y"), true), "abc-123_x.y");
        assert_ne!(request_id(&with("abc-123"), false), "abc-123");
        for bad in ["", "with space", "semi;colon", &"x".repeat(65)] {
            let id = request_id(&with(bad), true);
            assert_eq!(id.len(), 16, "{bad:?} gave {id}");
            assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn status_classes_cover_every_status() {
        assert_eq!(status_class(101), "1xx");
        assert_eq!(status_class(204), "2xx");
        assert_eq!(status_class(304), "3xx");
        assert_eq!(status_class(422), "4xx");
        assert_eq!(status_class(503), "5xx");
    }
}
