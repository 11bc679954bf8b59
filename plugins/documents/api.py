"""The integration API under ``/api/v1``: token auth, idempotent PUT per resource, OpenAPI."""

from __future__ import annotations

import hashlib
import secrets

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select

from portal.core import audit
from portal.core.auth import public
from portal.core.db import get_session
from portal.core.security import csrf

from .models import ApiToken
from .resources import api_resources, apply
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
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return error(400, "The body must be a JSON object (Content-Type: application/json).")
    session = get_session()
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


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())
