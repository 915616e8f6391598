//! The query parameters of the lists, documented from the domain's
//! parameter tables: the same tables `PipelineQuery::from_query_string`
//! and `ListQuery::from_query_string` dispatch on, so each parameter's
//! schema (codes, list style, bounds, formats, patterns) is what the parser
//! accepts, and a parameter cannot be added to one and not the other.

use lejek_domain::{
    AnalyticsParam, ListParam, NO_NUL_PATTERN, ParamShape, PipelineParam, WHITESPACE_CLASS, ZoneName,
};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{
    AllOfBuilder, AnyOfBuilder, ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat,
    Type,
};
use utoipa::openapi::{Required, schema};

/// `GET /cases` and `GET /cases/counts`.
pub struct PipelineParams;

/// `q`, `limit` and `cursor`: search and the contact list.
pub struct SearchParams;

/// `limit` and `cursor`: lists of one thing's items.
pub struct PageParams;

/// `from`, `to` and the pipeline's filters: the figures over a period.
pub struct PeriodFigureParams;

/// As [`PeriodFigureParams`], with `group_by`: the outcomes.
pub struct OutcomeParams;

/// `months` and the pipeline's filters: the forecast.
pub struct ForecastParams;

/// The optional `Idempotency-Key` header of creates.
pub struct IdempotencyKeyHeader;

impl IntoParams for IdempotencyKeyHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Makes retries safe: a retry with the same key and body answers the first response and \
                     creates nothing; the same key with another body answers 422 `idempotency_key_reused`.",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .pattern(Some(crate::http::IDEMPOTENCY_KEY_PATTERN)),
                ))
                .build(),
        ]
    }
}

impl IntoParams for PipelineParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        PipelineParam::ALL
            .iter()
            .map(|param| parameter(param.name(), param.shape(), param.description()))
            .collect()
    }
}

impl IntoParams for SearchParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        list_params(ListParam::SEARCH)
    }
}

impl IntoParams for PageParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        list_params(ListParam::PAGE)
    }
}

impl IntoParams for PeriodFigureParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        figure_params(AnalyticsParam::PERIOD)
    }
}

impl IntoParams for OutcomeParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        figure_params(AnalyticsParam::OUTCOMES)
    }
}

impl IntoParams for ForecastParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        figure_params(AnalyticsParam::FORECAST)
    }
}

/// A figure's own parameters (`from` and `to` required where given), then
/// the pipeline's filters that narrow figures.
fn figure_params(own: &[AnalyticsParam]) -> Vec<Parameter> {
    let mut params: Vec<Parameter> = own
        .iter()
        .map(|param| {
            let mut parameter = parameter(param.name(), param.shape(), param.description());
            if matches!(param, AnalyticsParam::From | AnalyticsParam::To) {
                parameter.required = Required::True;
            }
            parameter
        })
        .collect();
    params.extend(
        PipelineParam::ALL
            .iter()
            .filter(|param| param.narrows_figures())
            .map(|param| {
                let description = match param {
                    PipelineParam::Campaign => {
                        "A funnel campaign id (default: the sales funnel); the SPAM campaign is refused, \
                         as no figure counts it."
                    }
                    _ => param.description(),
                };
                parameter(param.name(), param.shape(), description)
            }),
    );
    params
}

fn list_params(params: &[ListParam]) -> Vec<Parameter> {
    params
        .iter()
        .map(|param| parameter(param.name(), param.shape(), param.description()))
        .collect()
}

fn parameter(name: &str, shape: ParamShape, description: &str) -> Parameter {
    let list = matches!(
        shape,
        ParamShape::Codes(_) | ParamShape::Ids | ParamShape::Sort(_)
    );
    let mut builder = ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(shape_schema(shape)));
    if list {
        // `status=offered,resigned`: one value, comma-separated.
        builder = builder.style(Some(ParameterStyle::Form)).explode(Some(false));
    }
    builder.build()
}

fn codes(codes: &[&str]) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes.iter().copied()))
}

fn positive_integer() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(1))
        .maximum(Some(i64::MAX as isize))
}

/// The schema of a value of this shape, exactly as strict as its parser.
fn shape_schema(shape: ParamShape) -> Schema {
    match shape {
        ParamShape::Code(list) => codes(list).build().into(),
        ParamShape::Codes(list) => ArrayBuilder::new()
            .items(codes(list))
            .unique_items(true)
            .build()
            .into(),
        ParamShape::Ids => ArrayBuilder::new()
            .items(positive_integer())
            .unique_items(true)
            .build()
            .into(),
        ParamShape::Positive => positive_integer().build().into(),
        ParamShape::Date => ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .build()
            .into(),
        ParamShape::Text { max_chars } => ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(max_chars))
            .pattern(Some(NO_NUL_PATTERN))
            .build()
            .into(),
        ParamShape::DigitsText { max_chars } => ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(max_chars))
            .pattern(Some(format!(
                r"^(?:[{WHITESPACE_CLASS}]*|[^\x00]*[0-9][^\x00]*)$"
            )))
            .build()
            .into(),
        ParamShape::Owner => OneOfBuilder::new()
            .item(codes(&["me", "unassigned"]))
            .item(positive_integer())
            .build()
            .into(),
        ParamShape::Bool => ObjectBuilder::new().schema_type(Type::Boolean).build().into(),
        ParamShape::TimeZone => AnyOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(lejek_domain::UtcOffset::PATTERN))
                    .description(Some("A UTC offset.")),
            )
            .item(codes(&ZoneName::all().collect::<Vec<_>>()).description(Some("An IANA time zone.")))
            .build()
            .into(),
        ParamShape::Sort(fields) => sort_schema(fields),
        ParamShape::Limit { max } => ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(max))
            .build()
            .into(),
        ParamShape::Cursor { max_chars } => ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(max_chars))
            .pattern(Some(NO_NUL_PATTERN))
            .build()
            .into(),
    }
}

/// Sort keys: each field ascending (`number`) or descending (`-number`),
/// and no field twice, even in both directions.
fn sort_schema(fields: &[&str]) -> Schema {
    let keys: Vec<String> = fields
        .iter()
        .flat_map(|field| [(*field).to_owned(), format!("-{field}")])
        .collect();
    let twice: Vec<serde_json::Value> = fields
        .iter()
        .map(|field| {
            serde_json::json!({"allOf": [
                {"contains": {"const": field}},
                {"contains": {"const": format!("-{field}")}},
            ]})
        })
        .collect();
    AllOfBuilder::new()
        .schema_type(schema::SchemaType::new(Type::Array))
        .item(
            ArrayBuilder::new()
                .items(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(keys)),
                )
                .unique_items(true)
                .max_items(Some(fields.len())),
        )
        .item(lejek_domain::openapi::keyword(
            "not",
            serde_json::json!({"anyOf": twice}),
        ))
        .build()
        .into()
}
