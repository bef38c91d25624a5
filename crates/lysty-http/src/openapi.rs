//! The API's OpenAPI document, written from the handlers (utoipa) and served at
//! `/api/v1/openapi.json`. The answers every operation may give — a missing token, a body
//! that is not JSON, a record that is not there — are added to each operation here, once,
//! so that the document lists every status the server sends (schemathesis checks it in CI).

use axum::Json;
use axum::extract::State;
use lysty_domain::{Channel, LetterLanguage, Outcome, PrisonerStatus, RejectReason, Source};
use serde_json::{Value, json};
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{RefOr, Response, ResponseBuilder};

use crate::AppState;
use crate::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lysty API",
        description = "Letters to political prisoners: the public registry, letter intake, tracking and campaign statistics.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        crate::api::list_prisoners,
        crate::api::get_prisoner,
        crate::api::create_letter,
        crate::api::proof_of_work,
        crate::api_safety::check_letter,
        crate::api_safety::case_terms,
        crate::api_safety::set_case_terms,
        crate::api::track_letter,
        crate::api::stats,
        crate::health::healthz,
        crate::health::readyz,
        crate::api_staff::queue,
        crate::api_staff::claim,
        crate::api_staff::approve,
        crate::api_staff::reject,
        crate::api_staff::translation,
        crate::api_staff::redact,
        crate::api_events::list,
        crate::api_events::create,
        crate::api_events::tally,
        crate::api_delivery::facilities,
        crate::api_delivery::save_facility,
        crate::api_delivery::placement,
        crate::api_delivery::prisoner_status,
        crate::api_delivery::reply,
        crate::api_delivery::build_batch,
        crate::api_delivery::batch,
        crate::api_delivery::batch_pdf,
        crate::api_delivery::electronic,
        crate::api_delivery::mark_sent,
        crate::api_delivery::outcome,
        crate::api_delivery::import_outcomes,
        crate::api_delivery::held,
        crate::api_delivery::reroute,
        crate::api_delivery::bank,
        crate::api_delivery::letter_bank,
        crate::api_delivery::bank_pdf
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth, &ErrorResponses)
)]
pub struct ApiDoc;

/// Declares the bearer-token scheme the staff endpoints use.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The error answers common to many operations, each with the error body.
struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_id = path.contains('{');
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                add_common_errors(operation, path, has_id);
            }
        }
    }
}

fn add_common_errors(operation: &mut Operation, path: &str, has_id: bool) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = operation.request_body.is_some();
    let has_query = operation.parameters.as_ref().is_some_and(|p| {
        p.iter()
            .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
    });
    let health = path.ends_with("healthz") || path.ends_with("readyz");
    let mut wanted: Vec<(&str, &str)> = Vec::new();
    if has_body || has_query {
        wanted.push(("400", "The request could not be read: malformed JSON, a missing or mistyped field or parameter"));
    }
    if secured {
        wanted.push((
            "401",
            "No valid API token (`Authorization: Bearer …`) or staff session",
        ));
        wanted.push((
            "403",
            "The token's account may not do this (its roles or organisation)",
        ));
    }
    if has_id || has_body {
        wanted.push((
            "404",
            "No such record — in the path or named in the body — or not one this caller may see",
        ));
    }
    if has_body {
        wanted.push(("413", "Request body too large"));
        wanted.push(("415", "The body is not of the documented content type"));
    }
    if has_body || has_query {
        wanted.push((
            "422",
            "The request was read but a value is not acceptable; `fields` says which",
        ));
    }
    if !health {
        wanted.push(("503", "The database cannot store anything now (a full disk, a read-only database); try again later"));
    }
    for (status, description) in wanted {
        if !operation.responses.responses.contains_key(status) {
            operation
                .responses
                .responses
                .insert(status.to_owned(), error_response(description));
        }
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}

/// The document as served: the handlers' document with what the server checks beyond
/// types (non-empty text, lengths, the values a field takes, formats), so that a client — or
/// a fuzzer — reading it knows which requests are accepted.
pub fn document(max_letter_chars: usize) -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    for (schema, property, rule) in rules(max_letter_chars) {
        if let Some(target) = doc
            .pointer_mut(&format!(
                "/components/schemas/{schema}/properties/{property}"
            ))
            .and_then(Value::as_object_mut)
        {
            constrain(target, rule);
        }
    }
    // A letter with an email needs the writer's consent to be emailed.
    if let Some(letter) = doc
        .pointer_mut("/components/schemas/LetterRequest")
        .and_then(Value::as_object_mut)
    {
        letter.insert(
            "if".into(),
            json!({"required": ["writer_email"], "properties": {"writer_email": {"type": "string", "pattern": r"\S"}}}),
        );
        letter.insert(
            "then".into(),
            json!({"required": ["email_consent"], "properties": {"email_consent": {"const": true}}}),
        );
    }
    // Slugs in paths have a slug's shape.
    if let Some(paths) = doc.pointer_mut("/paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in item.values_mut() {
                for p in operation
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    if p["name"] == "slug" && p["in"] == "path" {
                        p["schema"] = json!({"type": "string", "pattern": SLUG});
                    }
                }
            }
        }
    }
    for (path, parameter, rule) in query_rules() {
        let Some(parameters) = doc
            .pointer_mut(&format!(
                "/paths/{}/get/parameters",
                path.replace('/', "~1")
            ))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for p in parameters {
            if p["name"] == parameter {
                p["schema"] = rule.clone();
            }
        }
    }
    doc
}

/// Adds a rule's keys to a property's schema; a nullable property keeps `null` among its
/// allowed values.
fn constrain(target: &mut serde_json::Map<String, Value>, rule: Value) {
    let nullable = target
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|types| types.iter().any(|t| t == "null"));
    let Value::Object(rule) = rule else { return };
    for (key, mut value) in rule {
        if key == "enum"
            && nullable
            && let Some(values) = value.as_array_mut()
        {
            values.push(Value::Null);
        }
        target.insert(key, value);
    }
}

fn names(all: impl IntoIterator<Item = &'static str>) -> Value {
    Value::from(all.into_iter().collect::<Vec<_>>())
}

// Patterns as JSON Schema reads them (ECMA-262 regular expressions). The server refuses
// control characters (C0 and C1) in every text, and text that is only spaces where text is
// required.

/// Text with something in it besides spaces, on one line.
const LINE: &str = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$";
/// Text that may be empty or absent, on one line.
const OPTIONAL_LINE: &str = r"^[^\u0000-\u001f\u007f-\u009f]*$";
/// A name with at least one letter or digit (a slug is made from it), on one line.
const NAME: &str =
    r"^[^\u0000-\u001f\u007f-\u009f]*[0-9A-Za-zА-яЁёІіЇїЄєҐґ][^\u0000-\u001f\u007f-\u009f]*$";
/// A slug: lowercase letters, digits and inner hyphens.
const SLUG: &str = r"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$";
/// A slug, or nothing.
const OPTIONAL_SLUG: &str = r"^([a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)?$";
/// Text of several lines with something in it.
const TEXT: &str = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$";
/// Text of several lines that may be empty.
const OPTIONAL_TEXT: &str = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$";

/// What the server checks in request bodies: (schema, property, the rule).
fn rules(max_letter_chars: usize) -> Vec<(&'static str, &'static str, Value)> {
    let slug = json!({"pattern": SLUG, "maxLength": 64});
    let line = |max: usize| json!({"pattern": LINE, "maxLength": max});
    let optional_line = |max: usize| json!({"pattern": OPTIONAL_LINE, "maxLength": max});
    let day = json!({"format": "date"});
    let note = json!({"pattern": OPTIONAL_TEXT, "maxLength": 2_000});
    let scan = json!({"contentEncoding": "base64", "contentMediaType": "image/jpeg, image/png, image/webp or application/pdf"});
    vec![
        ("LetterRequest", "prisoner", slug.clone()),
        (
            "LetterRequest",
            "body",
            json!({"pattern": TEXT, "maxLength": max_letter_chars}),
        ),
        (
            "LetterRequest",
            "language",
            json!({"enum": names(LetterLanguage::ALL.map(|l| l.as_str()))}),
        ),
        ("LetterRequest", "writer_name", optional_line(100)),
        ("LetterRequest", "writer_city", optional_line(100)),
        ("LetterRequest", "writer_country", optional_line(100)),
        (
            "LetterRequest",
            "writer_email",
            json!({"format": "email", "maxLength": 254}),
        ),
        (
            "LetterRequest",
            "idempotency_key",
            json!({"pattern": r"^[!-~]{0,128}$"}),
        ),
        ("CheckRequest", "prisoner", slug.clone()),
        (
            "CaseTerms",
            "terms",
            json!({"maxItems": 200, "items": {"type": "string", "pattern": OPTIONAL_LINE, "maxLength": 100}}),
        ),
        (
            "CheckRequest",
            "body",
            json!({"maxLength": max_letter_chars}),
        ),
        (
            "NewEventRequest",
            "kind",
            json!({"enum": names(lysty_app::events::EVENT_KINDS)}),
        ),
        ("NewEventRequest", "title_uk", line(200)),
        ("NewEventRequest", "title_en", optional_line(200)),
        ("NewEventRequest", "venue", optional_line(200)),
        ("NewEventRequest", "series", optional_line(200)),
        ("NewEventRequest", "city", line(100)),
        ("NewEventRequest", "country", line(100)),
        (
            "NewEventRequest",
            "starts_at",
            json!({"format": "date-time"}),
        ),
        ("NewEventRequest", "ends_at", json!({"format": "date-time"})),
        (
            "TallyRequest",
            "prisoner",
            json!({"pattern": OPTIONAL_SLUG, "maxLength": 64}),
        ),
        (
            "TallyRequest",
            "count",
            json!({"minimum": 1, "maximum": 10_000}),
        ),
        (
            "RejectRequest",
            "reason",
            json!({"enum": names(RejectReason::ALL.map(|r| r.as_str()))}),
        ),
        ("RejectRequest", "note", note.clone()),
        ("BankRequest", "note", note.clone()),
        ("PlacementRequest", "note", note.clone()),
        ("SentRequest", "reference", optional_line(200)),
        ("OutcomeRequest", "note", note.clone()),
        ("OutcomeRequest", "scan_base64", scan.clone()),
        ("ReplyRequest", "transcription", note.clone()),
        ("ReplyRequest", "scan_base64", scan),
        (
            "TranslationRequest",
            "text",
            json!({"pattern": TEXT, "maxLength": max_letter_chars}),
        ),
        (
            "RedactRequest",
            "passages",
            json!({"minItems": 1, "items": {"type": "string", "pattern": LINE}}),
        ),
        (
            "FacilityInput",
            "name_ru",
            json!({"pattern": NAME, "maxLength": 200}),
        ),
        ("FacilityInput", "name_en", optional_line(200)),
        (
            "FacilityInput",
            "slug",
            json!({"pattern": r"^[a-z0-9-]{0,80}$"}),
        ),
        ("FacilityInput", "region", optional_line(200)),
        (
            "FacilityInput",
            "address_ru",
            json!({"pattern": OPTIONAL_TEXT, "maxLength": 500}),
        ),
        (
            "FacilityInput",
            "notes",
            json!({"pattern": OPTIONAL_TEXT, "maxLength": 2_000}),
        ),
        (
            "FacilityInput",
            "language",
            json!({"pattern": r"^[a-z]{0,8}$"}),
        ),
        (
            "FacilityInput",
            "max_letter_chars",
            json!({"pattern": r"^([1-9][0-9]{2,5}|1000000)?$"}),
        ),
        (
            "FacilityInput",
            "electronic_max_chars",
            json!({"pattern": r"^([1-9][0-9]{2,5}|1000000)?$"}),
        ),
        (
            "FacilityInput",
            "channels",
            json!({"pattern": r"^((post|electronic|handover)(, ?(post|electronic|handover))*)?$"}),
        ),
        ("BatchInput", "facility", slug.clone()),
        (
            "BatchInput",
            "channel",
            json!({"enum": names(Channel::ALL.map(|c| c.as_str()))}),
        ),
        ("BatchInput", "prisoner", slug.clone()),
        ("PlacementRequest", "facility", slug.clone()),
        ("PlacementRequest", "since", day.clone()),
        (
            "StatusRequest",
            "status",
            json!({"enum": names(PrisonerStatus::ALL.map(|s| s.as_str()))}),
        ),
        ("SentRequest", "date", day.clone()),
        (
            "OutcomeRequest",
            "outcome",
            json!({"enum": names(Outcome::ALL.map(|o| o.as_str()))}),
        ),
        ("ReplyRequest", "received", day),
    ]
}

/// What the server takes in query parameters: (path, parameter, its whole schema).
fn query_rules() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "/api/v1/review/queue",
            "queue",
            json!({"type": "string", "enum": ["review", "translation"]}),
        ),
        (
            "/api/v1/review/queue",
            "source",
            json!({"type": "string", "enum": names(Source::ALL.map(|s| s.as_str()))}),
        ),
    ]
}

pub async fn openapi(State(state): State<AppState>) -> Json<Value> {
    Json(document(state.app.config().max_letter_chars))
}
