"""``portal import FILE.json``: load API payloads from a file, in one transaction."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from portal.core import audit
from portal.core.db import get_session
from portal.core.plugins import get_registry

from .resources import api_resources, apply
from .types import PayloadError


def import_payloads(session, data) -> tuple[dict[str, list[int]], list[dict]]:
    """Apply ``{"<resource>": [{"external_id": …, …payload}, …], …}`` in resource order.

    Returns ``(counts, errors)``: counts per resource of ``[created, updated, unchanged]``,
    errors prefixed with the record's position (``invoices[3].lines[0].quantity``). The caller
    commits only when there are no errors.
    """
    resources = api_resources()
    errors: list[dict] = []
    counts: dict[str, list[int]] = {}
    if not isinstance(data, dict):
        return counts, [{"field": "", "message": "The file must hold a JSON object whose keys "
                                                 "are resource names."}]
    for name in data:
        if name not in resources:
            errors.append({"field": name, "message": f"Unknown resource; known: "
                                                     f"{', '.join(resources)}."})
    for name, resource in resources.items():
        records = data.get(name)
        if records is None:
            continue
        if not isinstance(records, list):
            errors.append({"field": name, "message": "Must be a list of records."})
            continue
        tally = counts.setdefault(name, [0, 0, 0])
        for index, record in enumerate(records):
            where = f"{name}[{index}]"
            if not isinstance(record, dict):
                errors.append({"field": where, "message": "Must be a JSON object."})
                continue
            payload = dict(record)
            external_id = payload.pop("external_id", None)
            try:  # the resources check everything before writing; any error rolls all back
                created, changed, _id = apply(session, resource, external_id or "", payload)
            except PayloadError as exc:
                errors.extend({"field": f"{where}.{e['field']}".rstrip("."),
                               "message": e["message"]} for e in exc.errors)
                continue
            tally[0 if created else 1 if changed else 2] += 1
    return counts, errors


@click.command("import")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_command(file):
    """Load customer companies and documents from FILE.json (the API's payloads, by resource).

    The file is one JSON object: {"companies": [{"external_id": "C-1001", "name": …}],
    "invoices": [{"external_id": "F-1", "company": "C-1001", …}], …}. Everything is loaded
    or, if any record is refused, nothing.
    """
    if not get_registry().is_enabled("documents"):
        raise click.ClickException("The documents plugin is disabled.")
    try:
        data = json.load(file)
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file.name} is not valid JSON: {exc}") from exc
    session = get_session()
    counts, errors = import_payloads(session, data)
    if errors:
        session.rollback()
        for e in errors[:50]:
            click.echo(f"{e['field']}: {e['message']}", err=True)
        if len(errors) > 50:
            click.echo(f"… and {len(errors) - 50} more errors.", err=True)
        raise click.ClickException(f"Nothing was imported: {len(errors)} errors.")
    audit.record("documents.import", "file", file.name, session=session,
                 counts={k: v for k, v in counts.items()})
    session.commit()
    from flask import current_app

    from portal.core.migrate import analyze

    analyze(current_app)  # a bulk import changes the statistics the planner relies on
    for name, (created, updated, unchanged) in counts.items():
        click.echo(f"{name}: {created} created, {updated} updated, {unchanged} unchanged")


@click.command("documents-move-files")
@with_appcontext
def move_files_command():
    """Copy supplier files kept in the old local folder into the storage (STORAGE_URL).

    Run once on one host after switching to object storage; running it again moves nothing.
    """
    from .files import move_legacy_files

    moved = move_legacy_files(get_session())
    click.echo(f"{moved} supplier files moved into the storage")
