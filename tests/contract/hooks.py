"""Schemathesis hooks of the contract run (`cargo xtask contract`).

The document states every rule JSON Schema can express, so a request it
calls valid is refused only for a reason JSON Schema cannot state: the
server's state (an `If-Match` naming another version, an id that names
nothing, a cursor the server did not issue, an idempotency key used with
another body, a follow-up date the case's status forbids) or a rule between
two inputs (a date range ending before it starts or a figure's period longer than
three years, `spam` with `campaign`,
the same column twice in a saved view, a saved view's query string).

schemathesis.toml lets positive data be answered 400, 412 or 422; the check
below fails every such answer whose problem names any other reason, so a
schema looser than the parser is still caught.

A client makes one `Idempotency-Key` per operation and sends it again only
with a retry of the same request; the fuzzer draws keys such as `0` over and
over, for different bodies. `map_headers` makes each drawn key unique, so a
run tests creates rather than the replay rules (which the API suite tests:
tests/api/http.rs).
"""

import itertools
import json
import re

import schemathesis
from schemathesis.specs.openapi.checks import is_unexpected_http_status_case

# Problems that name no field: the state of the server.
STATE_CODES = {
    "version_mismatch",  # 412: `If-Match` names another version
    "idempotency_key_reused",  # 422: the key came with another body before
}

# Field errors, as (field, code); a field of None matches any field.
FIELD_REASONS = {
    # The state of the server.
    (None, "unknown_reference"),  # an id that names nothing (or nothing visible)
    ("cursor", "invalid_cursor"),  # a cursor this server did not issue
    ("follow_up_at", "follow_up_required"),  # the case is offered (or has no date yet)
    ("follow_up_at", "follow_up_not_allowed"),  # the case is closed
    ("campaign", "invalid_value"),  # a figure asked of the SPAM campaign
    # Rules between two inputs.
    ("created_to", "inverted_range"),
    ("close_to", "inverted_range"),
    ("to", "inverted_range"),  # a figure's period ending before it starts
    ("to", "out_of_range"),  # a figure's period over 36 months long
    ("spam", "invalid_value"),  # `spam=true` with `campaign`
    ("columns", "duplicate"),  # two items naming the same column
    ("query", "invalid_value"),  # a saved view's query string, a language of its own
    # Web forms.
    ("origins", "duplicate"),  # the same site twice in other letters (or with a final slash)
    ("agents", "required"),  # round robin with nobody to take turns
    ("agents", "invalid_value"),  # salespeople named for unassigned leads
    # A web form's fields, checked as a lead's only once the submission is
    # told to be a person's (by its token: a rule between inputs).
    ("name", "blank"),
    ("name", "too_long"),
    ("email", "invalid_email"),
    ("phone", "invalid_phone"),
    ("company", "too_long"),
    ("subject", "too_long"),
    ("message", "too_long"),
    # File imports: the file's content, and the mapping against its header.
    ("file", "unreadable_file"),  # not a CSV with a header row, nor an XLSX
    ("file", "too_many_rows"),  # more than 500,000 rows
    ("mapping", "invalid_value"),  # not one entry per column of the file read
    ("mapping", "duplicate"),  # two columns mapped to one field (nulls repeat freely)
    ("mapping", "column_required"),  # owners from a column no column holds
    ("owner_id", "required"),  # owner `user` without the person
    ("owner_id", "invalid_value"),  # a person named for another owner rule
    ("owner", "owner_must_be_self"),  # the caller is a salesperson
    # Inbound e-mail: the message's content, read as RFC 5322.
    ("message", "not_an_email"),  # no header a message has
    ("from", "invalid_email"),  # a sender address the contact rules refuse
    ("from", "blank"),
    ("from", "too_long"),
}


IDEMPOTENCY_KEY = re.compile(r"[!-~]{1,255}")
_serial = itertools.count()


@schemathesis.hook
def map_headers(ctx, headers):
    key = (headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and IDEMPOTENCY_KEY.fullmatch(key):
        suffix = f"~{next(_serial)}"
        headers["Idempotency-Key"] = key[: 255 - len(suffix)] + suffix
    return headers


def reason_the_schema_cannot_state(problem):
    errors = problem.get("errors") or []
    if not errors:
        return problem.get("code") in STATE_CODES
    return all(
        (error.get("field"), error.get("code")) in FIELD_REASONS or (None, error.get("code")) in FIELD_REASONS
        for error in errors
    )


@schemathesis.check
def refused_only_for_reasons_the_schema_cannot_state(ctx, response, case):
    """A schema-valid request answered 400/412/422 names a reason the schema cannot state."""
    meta = case.meta
    if meta is None or is_unexpected_http_status_case(case):
        return None
    if not meta.generation.mode.is_positive or response.status_code not in (400, 412, 422):
        return None
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"{response.status_code} without a problem document") from error
    if not reason_the_schema_cannot_state(problem):
        errors = ", ".join(f"{e.get('field')}: {e.get('code')}" for e in problem.get("errors") or [])
        raise AssertionError(
            f"A request valid by the document was refused with `{problem.get('code')}` "
            f"({errors or 'no field errors'}): the document is looser than the server"
        )
    return None
