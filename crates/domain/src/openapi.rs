//! OpenAPI schemas of the wire types (feature `openapi`), built from the same
//! tables and constants the parsers use, so the document refuses exactly
//! what the server refuses: lengths from the value types, codes from the
//! wire enums, the shapes of a transition from the funnel's rules.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, ArrayBuilder, KnownFormat, Object, ObjectBuilder, OneOfBuilder,
    Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::{PartialSchema, ToSchema};

use crate::dto::{BulkRequest, NewCaseRequest, NewContactRequest, TransitionRequest};
use crate::role::Role;
use crate::status::Status;
use crate::values::{
    Amount, CURRENCY_PATTERN, CompanyName, DictionaryName, EMAIL_PATTERN, Email, MAX_PASSWORD_CHARS,
    MIN_PASSWORD_CHARS, NO_NUL_PATTERN, NON_BLANK_PATTERN, NoteText, OPTIONAL_CURRENCY_PATTERN,
    OPTIONAL_EMAIL_PATTERN, OPTIONAL_PHONE_PATTERN, PersonName, ResignationReason, Subject,
};
use crate::view::{COLUMN_WIDTHS, Column, ColumnSetting};

/// A string that is one of `codes`.
pub fn codes_schema(codes: &[&str], description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes.iter().copied()))
        .description(Some(description.trim_end()))
        .build()
}

fn typed(nullable: bool, kind: Type) -> SchemaType {
    if nullable {
        SchemaType::from_iter([kind, Type::Null])
    } else {
        SchemaType::new(kind)
    }
}

/// A text the parser trims and refuses when blank or longer than `max`
/// characters (as sent).
fn text(max: usize, nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(nullable, Type::String))
        .max_length(Some(max))
        .pattern(Some(NON_BLANK_PATTERN))
}

/// A text of at most `max` characters where blank means "none".
fn blank_means_none(max: usize) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(true, Type::String))
        .max_length(Some(max))
        .pattern(Some(NO_NUL_PATTERN))
        .description(Some("Blank or `null`: none."))
}

/// Any text without NUL (`null` too when `nullable`).
fn plain_text(nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(nullable, Type::String))
        .pattern(Some(NO_NUL_PATTERN))
}

fn patterned(nullable: bool, pattern: &str, max: Option<usize>) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(nullable, Type::String))
        .max_length(max)
        .pattern(Some(pattern))
}

/// A positive integer id.
pub fn id_schema(nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(nullable, Type::Integer))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(1))
        .maximum(Some(i64::MAX as isize))
}

fn date(nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(nullable, Type::String))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
}

fn date_time(nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(nullable, Type::String))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
}

fn amount(nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(nullable, Type::Number))
        .minimum(Some(0))
        .maximum(Some(Amount::MAX_DECIMAL))
        .multiple_of(Some(0.01))
        .description(Some("A non-negative amount with at most two decimal places."))
}

/// `null`, or the component `T`.
fn nullable_ref<T: ToSchema>() -> Schema {
    Schema::OneOf(
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .item(utoipa::openapi::Ref::from_schema_name(T::name()))
            .build(),
    )
}

fn null() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Null)
}

fn closed(object: ObjectBuilder) -> ObjectBuilder {
    object.additional_properties(Some(AdditionalProperties::FreeForm(false)))
}

// Field schemas, named for `#[schema(schema_with = ...)]`.

/// A web form's sites: up to 20 origins (`https://example.pl`), each once
/// (once lower-cased: the server answers `duplicate` on `origins` for the
/// same site in other letters).
pub fn form_origins() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(crate::web_form::MAX_ORIGIN_CHARS))
                .pattern(Some(crate::web_form::ORIGIN_PATTERN)),
        )
        .max_items(Some(crate::web_form::MAX_FORM_ORIGINS))
        .unique_items(true)
        .build()
}

/// The fields a web form asks for: each once, an e-mail or a phone among
/// them (`anyOf` of two `contains`, on the array itself: utoipa has no
/// field for it).
pub fn form_fields() -> utoipa::openapi::schema::Array {
    let contains = |field: &str| serde_json::json!({ "contains": { "const": field } });
    ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name(crate::FormField::name()))
        .unique_items(true)
        .description(Some("Each at most once; `email` or `phone` at least."))
        .extensions(Some(
            [("anyOf", serde_json::json!([contains("email"), contains("phone")]))]
                .into_iter()
                .collect(),
        ))
        .build()
}

/// The salespeople who get a form's leads in turn, each once.
pub fn form_agents() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(id_schema(false))
        .unique_items(true)
        .build()
}

/// Days from a lead's arrival to its expected close date.
pub fn close_in_days() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(crate::web_form::MAX_CLOSE_IN_DAYS as isize))
        .build()
}

pub fn subject() -> Object {
    text(Subject::MAX_CHARS, false).build()
}
pub fn person_name() -> Object {
    text(PersonName::MAX_CHARS, false).build()
}
/// A name where `null` leaves it as it is.
pub fn person_name_or_null() -> Object {
    text(PersonName::MAX_CHARS, true).build()
}
pub fn optional_company() -> Object {
    blank_means_none(CompanyName::MAX_CHARS).build()
}
pub fn optional_email() -> Object {
    patterned(true, OPTIONAL_EMAIL_PATTERN, Some(Email::MAX_CHARS)).build()
}
pub fn email() -> Object {
    patterned(false, EMAIL_PATTERN, Some(Email::MAX_CHARS)).build()
}
pub fn optional_phone() -> Object {
    patterned(true, OPTIONAL_PHONE_PATTERN, None).build()
}
pub fn probability() -> Object {
    patterned(false, crate::analytics::PROBABILITY_PATTERN, None).build()
}
pub fn currency() -> Object {
    patterned(false, CURRENCY_PATTERN, None).build()
}
pub fn amount_or_null() -> Object {
    amount(true).build()
}
pub fn id() -> Object {
    id_schema(false).build()
}
pub fn id_or_null() -> Object {
    id_schema(true).build()
}
pub fn day() -> Object {
    date(false).build()
}
pub fn instant_or_null() -> Object {
    date_time(true).build()
}
pub fn note_text() -> Object {
    text(NoteText::MAX_CHARS, false).build()
}
pub fn dictionary_name() -> Object {
    text(DictionaryName::MAX_CHARS, false).build()
}
pub fn password() -> Object {
    password_schema(false).build()
}
pub fn password_or_null() -> Object {
    password_schema(true).build()
}
fn password_schema(nullable: bool) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(typed(nullable, Type::String))
        .min_length(Some(MIN_PASSWORD_CHARS))
        .max_length(Some(MAX_PASSWORD_CHARS))
        .pattern(Some(NO_NUL_PATTERN))
}
/// Any text (without NUL): a login's e-mail and password, a token, a
/// saved query string.
pub fn text_field() -> Object {
    plain_text(false).build()
}
pub fn text_or_null() -> Object {
    plain_text(true).build()
}
pub fn role_or_null() -> Schema {
    nullable_ref::<Role>()
}
pub fn bool_or_null() -> Object {
    ObjectBuilder::new()
        .schema_type(typed(true, Type::Boolean))
        .build()
}
/// The roles an API key may act with: any but admin.
pub fn api_key_role() -> Object {
    let codes: Vec<&str> = Role::ALL
        .iter()
        .filter(|role| role.may_hold_api_key())
        .map(|role| role.as_str())
        .collect();
    codes_schema(&codes, "The role the integration acts with (never `admin`).")
}
pub fn column_width() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(*COLUMN_WIDTHS.start()))
        .maximum(Some(*COLUMN_WIDTHS.end()))
        .description(Some("Pixels."))
        .build()
}

/// The ids of a bulk request: 1 to [`BulkRequest::MAX_IDS`], each once.
pub fn bulk_ids() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(id_schema(false))
        .min_items(Some(1))
        .max_items(Some(BulkRequest::MAX_IDS))
        .unique_items(true)
        .build()
}

/// A JSON Schema keyword utoipa has no field for, as the one extension of
/// an otherwise empty schema (kept to one key so the output is stable).
pub fn keyword(name: &str, value: serde_json::Value) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::AnyValue)
        .extensions(Some([(name, value)].into_iter().collect()))
}

/// The columns of a view, each at most once (no two items name the same
/// `column`: a rule JSON Schema cannot state for a property of the items,
/// so the server answers 422 `duplicate` on `columns`).
pub fn view_columns() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name(ColumnSetting::name()))
        .max_items(Some(Column::ALL.len()))
        .unique_items(true)
        .description(Some("In display order; each column at most once."))
        .build()
}

/// `POST /cases`: exactly one of `contact_id` and `contact` is given (not
/// `null`); the others as the fields say.
impl PartialSchema for NewCaseRequest {
    fn schema() -> RefOr<Schema> {
        let fields = closed(ObjectBuilder::new())
            .property("subject", text(Subject::MAX_CHARS, false))
            .required("subject")
            .property(
                "source",
                utoipa::openapi::Ref::from_schema_name(crate::Source::name()),
            )
            .required("source")
            .property("expected_close_date", date(false))
            .required("expected_close_date")
            .property(
                "contact_id",
                id_schema(true).description(Some(
                    "An existing contact; or give `contact` to create one (exactly one of the two).",
                )),
            )
            .property("contact", nullable_ref::<NewContactRequest>())
            .property(
                "qualifier",
                id_schema(true).description(Some("A qualifier id from `GET /qualifiers`.")),
            )
            .property(
                "value",
                amount(true).description(Some("Expected deal value, in `currency`.")),
            )
            .property(
                "currency",
                patterned(true, OPTIONAL_CURRENCY_PATTERN, None)
                    .description(Some("Three capital letters; blank or `null` is PLN.")),
            )
            .property(
                "owner_id",
                id_schema(true).description(Some("Managers only; an agent's case is always their own.")),
            )
            .property(
                "external_id",
                blank_means_none(crate::ExternalId::MAX_CHARS).description(Some(
                    "Your system's id for the case, unique: a second case with the same id is refused as \
                     `duplicate`. Blank or `null`: none.",
                )),
            );
        let existing = ObjectBuilder::new()
            .property("contact_id", id_schema(false))
            .required("contact_id")
            .property("contact", null());
        let new = ObjectBuilder::new()
            .property(
                "contact",
                utoipa::openapi::Ref::from_schema_name(NewContactRequest::name()),
            )
            .required("contact")
            .property("contact_id", null());
        Schema::AllOf(
            AllOfBuilder::new()
                .item(fields)
                .item(OneOfBuilder::new().item(existing).item(new))
                .description(Some("A new case; it starts awaiting pickup."))
                .build(),
        )
        .into()
    }
}

impl ToSchema for NewCaseRequest {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((NewContactRequest::name().into(), NewContactRequest::schema()));
        schemas.push((crate::Source::name().into(), crate::Source::schema()));
        <NewContactRequest as ToSchema>::schemas(schemas);
    }
}

/// `POST /cases/{id}/transition`: one shape per target status, from the
/// funnel's rules. A stage of that status when it has stages, none
/// otherwise; no follow-up date when closing; a resignation reason exactly
/// when resigning. (Moving to `offered` needs a follow-up date unless the
/// case already has one, which only the case can tell.)
impl PartialSchema for TransitionRequest {
    fn schema() -> RefOr<Schema> {
        let mut shapes = OneOfBuilder::new();
        for status in Status::ALL {
            let mut shape = closed(ObjectBuilder::new())
                .title(Some(status.as_str()))
                .property(
                    "status",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([status.as_str()])),
                )
                .required("status");
            let stages: Vec<&str> = status.stages().iter().map(|stage| stage.as_str()).collect();
            shape = if stages.is_empty() {
                shape.property("stage", null())
            } else {
                shape
                    .property("stage", codes_schema(&stages, "A stage of this status."))
                    .required("stage")
            };
            shape = if status.is_closed() {
                shape.property("follow_up_at", null())
            } else {
                shape.property("follow_up_at", date_time(true))
            };
            shape = if status.requires_resignation_reason() {
                shape
                    .property("resignation_reason", text(ResignationReason::MAX_CHARS, false))
                    .required("resignation_reason")
            } else {
                shape.property("resignation_reason", null())
            };
            shapes = shapes.item(shape);
        }
        Schema::OneOf(
            shapes
                .description(Some("A move in the funnel; the shape depends on `status`."))
                .build(),
        )
        .into()
    }
}

impl ToSchema for TransitionRequest {}
