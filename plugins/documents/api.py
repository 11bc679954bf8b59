"""The integration API under ``/api/v1``: token auth, idempotent PUT per resource, change feeds,
OpenAPI."""

from __future__ import annotations

import hashlib
import secrets

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select

from portal.core import audit
from portal.core.auth import public
from portal.core.db import get_session, serialise_writers
from portal.core.delivery import sequence_events
from portal.core.models import Event
from portal.core.params import MAX_ID, UnstorableInput
from portal.core.security import csrf

from .models import ApiToken
from .resources import UNSTORABLE, api_resources, apply
from .types import ApiField, PayloadError

bp = Blueprint("documents_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

TOKEN_PREFIX = "ptk_"
OPEN_ENDPOINTS = {"documents_api.openapi"}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(session, name: str, created_by_id: int | None) -> tuple[ApiToken, str]:
    """Create a token; the clear text is returned once and only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(name=name, token_hash=hash_token(token), prefix=token[:10],
                   created_by_id=created_by_id)
    session.add(row)
    session.flush()
    return row, token


MAX_DEPTH = 32
"""No resource nests deeper than a few levels; a deeper body is refused before it is read."""
TOO_DEEP = object()


def nesting_depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (iterative: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def error(status: int, message: str, field: str = ""):
    response = jsonify({"errors": [{"field": field, "message": message}]})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="portal-api"'
    return response


@bp.before_request
def _authenticate():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return error(401, "An API token is required: send 'Authorization: Bearer <token>'.")
    row = get_session().scalar(select(ApiToken).where(
        ApiToken.token_hash == hash_token(token.strip()), ApiToken.revoked_at.is_(None)))
    if row is None:
        return error(401, "The API token is not valid or has been revoked.")
    g.api_token = row
    return None


@bp.errorhandler(UnstorableInput)
def _unstorable(exc):
    return error(422, UNSTORABLE, exc.field)


@bp.errorhandler(404)
def _not_found(_exc):
    return error(404, "Not found.")


@bp.errorhandler(405)
def _not_allowed(_exc):
    return error(405, "Method not allowed.")


def _resource(name: str):
    resource = api_resources().get(name)
    if resource is None:
        return None, error(404, f"No API resource named {name!r}.")
    return resource, None


@bp.route("/<resource>/<external_id>", methods=["GET"])
@public
def get_resource(resource: str, external_id: str):
    found, problem = _resource(resource)
    if problem:
        return problem
    data = found.read(get_session(), external_id)
    if data is None:
        return error(404, f"No {resource} record with external_id {external_id!r}.")
    return jsonify(data)


@bp.route("/<resource>/<external_id>", methods=["PUT"])
@public
def put_resource(resource: str, external_id: str):
    found, problem = _resource(resource)
    if problem:
        return problem
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # the parser gave up on the nesting
        payload = TOO_DEEP
    if payload is TOO_DEEP or nesting_depth(payload) > MAX_DEPTH:
        return error(400, f"The body is nested more than {MAX_DEPTH} levels deep.")
    if not isinstance(payload, dict):
        return error(400, "The body must be a JSON object (Content-Type: application/json).")
    session = get_session()
    serialise_writers(session, "api", resource, external_id.strip())
    try:
        created, changed, record_id = apply(session, found, external_id, payload)
    except PayloadError as exc:
        session.rollback()
        response = jsonify({"errors": exc.errors})
        response.status_code = 422
        return response
    if changed:
        audit.record("api.create" if created else "api.update", resource, record_id,
                     session=session, external_id=external_id, token=g.api_token.name)
        session.commit()
    else:
        session.rollback()
    response = jsonify({"id": record_id, "external_id": external_id, "created": created,
                        "changed": changed})
    response.status_code = 201 if created else 200
    return response


# -- change feeds -------------------------------------------------------------------------------

FEED_LIMIT = 100
FEED_MAX_LIMIT = 500
MAX_CURSOR = MAX_ID  # Event.seq is an Integer column


def _whole_number(name: str, default: int, low: int, high: int) -> int | None:
    text = request.args.get(name, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        return None
    return int(text)


@bp.route("/<resource>", methods=["GET"])
@public
def feed(resource: str):
    """``?since=<cursor>&limit=<n>``: what changed after ``since``, oldest change first.

    Each item is a changed record as it is now (a record changed twice within the page appears
    once, at its last change); ``next`` is the cursor to send as ``since`` for the next page. The
    cursor is the event's ``seq``, stamped in commit order, so a change committed later never
    gets a cursor below one already read: paging on, nothing is skipped or repeated.
    """
    found, problem = _resource(resource)
    if problem:
        return problem
    if found.feed is None:
        return error(404, f"The {resource} resource has no change feed.")
    since = _whole_number("since", 0, 0, MAX_CURSOR)
    if since is None:
        return error(400, "since must be a cursor from an earlier answer (a whole number).",
                     "since")
    limit = _whole_number("limit", FEED_LIMIT, 1, FEED_MAX_LIMIT)
    if limit is None:
        return error(400, f"limit must be a whole number from 1 to {FEED_MAX_LIMIT}.", "limit")
    sequence_events()  # stamp what has committed, so the feed never waits for the worker
    session = get_session()
    rows = session.execute(
        select(Event.seq, Event.kind, Event.at, Event.subject_id)
        .where(Event.subject_type == found.feed.subject_type, Event.seq > since)
        .order_by(Event.seq).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    last_change = {row.subject_id: row for row in rows}
    records = found.feed.read_many(session, list(last_change))
    items = [{"cursor": row.seq, "event": row.kind,
              "at": row.at.isoformat() if row.at else None, "id": subject_id,
              "record": records.get(subject_id)}
             for subject_id, row in sorted(last_change.items(), key=lambda kv: kv[1].seq)]
    return jsonify({"items": items, "next": rows[-1].seq if rows else since,
                    "has_more": has_more})


# -- files of a record --------------------------------------------------------------------------


def _file(resource: str, name: str):
    found, problem = _resource(resource)
    if problem:
        return None, problem
    spec = next((f for f in found.files if f.name == name), None)
    if spec is None:
        return None, error(404, f"{resource} records have no file named {name!r}.")
    return spec, None


def _finish_file(resource: str, name: str, external_id: str, outcome, action: str):
    record_id, after_commit = outcome
    session = get_session()
    if record_id is None:
        session.rollback()
        return error(404, f"No {resource} record with external_id {external_id!r}.")
    audit.record(action, resource, record_id, session=session, external_id=external_id,
                 file=name, token=g.api_token.name)
    session.commit()
    if after_commit is not None:
        after_commit()
    return jsonify({"id": record_id, "external_id": external_id, "file": name})


@bp.route("/<resource>/<external_id>/<name>", methods=["PUT"])
@public
def put_file(resource: str, external_id: str, name: str):
    spec, problem = _file(resource, name)
    if problem:
        return problem
    if request.mimetype not in spec.content_types:
        return error(422, f"Send the file with Content-Type one of: "
                          f"{', '.join(spec.content_types)}.", name)
    if (request.content_length or 0) > spec.max_bytes:
        return error(422, f"The file is larger than {spec.max_bytes} bytes.", name)
    data = request.stream.read(spec.max_bytes + 1)
    if len(data) > spec.max_bytes:
        return error(422, f"The file is larger than {spec.max_bytes} bytes.", name)
    session = get_session()
    try:
        outcome = spec.put(session, external_id, data)
    except PayloadError as exc:
        session.rollback()
        response = jsonify({"errors": exc.errors})
        response.status_code = 422
        return response
    return _finish_file(resource, name, external_id, outcome, "api.file_put")


@bp.route("/<resource>/<external_id>/<name>", methods=["DELETE"])
@public
def delete_file(resource: str, external_id: str, name: str):
    spec, problem = _file(resource, name)
    if problem:
        return problem
    outcome = spec.delete(get_session(), external_id)
    return _finish_file(resource, name, external_id, outcome, "api.file_delete")


# -- OpenAPI ----------------------------------------------------------------------------------

SCALARS = {"string": {"type": "string"}, "integer": {"type": "integer"},
           "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
           "decimal": {"oneOf": [{"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
                                 {"type": "number"}]}}


def field_schema(spec: ApiField) -> dict:
    if spec.type == "array":
        items = object_schema(spec.items) if spec.items else {"type": "string"}
        schema = {"type": "array", "items": items}
    else:
        schema = dict(SCALARS[spec.type])
    if spec.max_length:
        schema["maxLength"] = spec.max_length
    if spec.enum:
        schema["enum"] = list(spec.enum)
    if spec.description:
        schema["description"] = spec.description
    return schema


def object_schema(fields) -> dict:
    schema = {"type": "object", "additionalProperties": False,
              "properties": {f.name: field_schema(f) for f in fields}}
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def openapi_document() -> dict:
    errors = {"description": "Field errors; nothing was written.",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}
    unauthorized = {"description": "Missing, unknown or revoked token.",
                    "content": {"application/json": {"schema": {"$ref":
                                                                "#/components/schemas/Errors"}}}}
    schemas = {
        "Errors": {"type": "object", "required": ["errors"], "properties": {"errors": {
            "type": "array", "items": {"type": "object", "required": ["field", "message"],
                                       "properties": {"field": {"type": "string"},
                                                      "message": {"type": "string"}}}}}},
        "Result": {"type": "object", "required": ["id", "external_id", "created", "changed"],
                   "properties": {"id": {}, "external_id": {"type": "string"},
                                  "created": {"type": "boolean"},
                                  "changed": {"type": "boolean"}}},
    }
    paths = {}
    for name, resource in api_resources().items():
        schema_name = "".join(part.capitalize() for part in name.replace("-", "_").split("_"))
        schemas[schema_name] = object_schema(resource.fields)
        param = {"name": "external_id", "in": "path", "required": True,
                 "description": "The ERP's own id of the record.",
                 "schema": {"type": "string", "maxLength": 100}}
        ok = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}}}
        paths[f"/{name}/{{external_id}}"] = {
            "parameters": [param],
            "get": {"summary": f"Read one of {resource.title}", "tags": [resource.title],
                    "operationId": f"get_{name.replace('-', '_')}",
                    "responses": {"200": {"description": "The record."},
                                  "401": unauthorized,
                                  "404": {"description": "No such record."}}},
            "put": {"summary": f"Create or update one of {resource.title} by ERP id",
                    "description": resource.description + " Sending the same payload again "
                                   "changes nothing (changed: false).",
                    "tags": [resource.title],
                    "operationId": f"put_{name.replace('-', '_')}",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{schema_name}"}}}},
                    "responses": {"200": dict(ok, description="Updated or unchanged."),
                                  "201": dict(ok, description="Created."),
                                  "400": errors, "401": unauthorized, "422": errors}},
        }
        for spec in resource.files:
            paths[f"/{name}/{{external_id}}/{spec.name}"] = file_paths(name, resource, spec,
                                                                      param, errors, unauthorized)
        if resource.feed is not None:
            paths[f"/{name}"] = {"get": {
                "summary": f"Change feed of {resource.title}", "tags": [resource.title],
                "operationId": f"feed_{name.replace('-', '_')}",
                "description": "What changed after the cursor `since`, oldest first: each "
                               "changed record as it is now, once per page. Send `next` as "
                               "`since` to page on; nothing is skipped or repeated, even "
                               "while the portal writes.",
                "parameters": [
                    {"name": "since", "in": "query", "required": False,
                     "description": "A cursor from an earlier answer; 0 or absent: from the "
                                    "beginning.",
                     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_CURSOR}},
                    {"name": "limit", "in": "query", "required": False,
                     "description": "Changes read per page.",
                     "schema": {"type": "integer", "minimum": 1, "maximum": FEED_MAX_LIMIT,
                                "default": FEED_LIMIT}}],
                "responses": {"200": {"description": "A page of changes.", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Feed"}}}},
                    "400": errors, "401": unauthorized}}}
    schemas["Feed"] = {
        "type": "object", "required": ["items", "next", "has_more"],
        "properties": {
            "items": {"type": "array", "items": {
                "type": "object", "required": ["cursor", "event", "at", "id", "record"],
                "properties": {"cursor": {"type": "integer"}, "event": {"type": "string"},
                               "at": {"type": ["string", "null"], "format": "date-time"},
                               "id": {"type": "string"},
                               "record": {"description": "The record as GET gives it "
                                                         "(null when it no longer exists)."}}}},
            "next": {"type": "integer"}, "has_more": {"type": "boolean"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Customer portal integration API", "version": "1.0.0",
                 "description": "Create-or-update by the ERP's own ids. Authenticate with "
                                "'Authorization: Bearer <token>' (tokens are made by "
                                "administrators under Administration → API tokens)."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer"}}},
    }


def file_paths(name: str, resource, spec, param, errors, unauthorized) -> dict:
    operation = f"{name.replace('-', '_')}_{spec.name.replace('-', '_')}"
    missing = {"description": "No such record."}
    done = {"description": "Done.", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"id": {}, "external_id": {"type": "string"},
                                         "file": {"type": "string"}}}}}}
    return {
        "parameters": [param],
        "put": {"summary": f"Set the {spec.name} of one of {resource.title}",
                "description": spec.description + f" The body is the file itself, at most "
                               f"{spec.max_bytes} bytes.",
                "tags": [resource.title], "operationId": f"put_{operation}",
                "requestBody": {"required": True, "content": {
                    ct: {"schema": {"type": "string", "format": "binary"}}
                    for ct in spec.content_types}},
                "responses": {"200": done, "401": unauthorized, "404": missing,
                              "422": errors}},
        "delete": {"summary": f"Remove the {spec.name} of one of {resource.title}",
                   "tags": [resource.title], "operationId": f"delete_{operation}",
                   "responses": {"200": done, "401": unauthorized, "404": missing}},
    }


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())
