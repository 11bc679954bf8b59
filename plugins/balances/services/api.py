"""``/api/v1/reconciliation-answers/{statement number}``: the customer's answer, for the ERP."""

from __future__ import annotations

from .account import ledger


def _read(session, number: str) -> dict | None:
    found = ledger().reconciliation_answer_by_number(session, number)
    return _as_dict(*found) if found is not None else None


def _read_many(session, ids: list[str]) -> dict[str, dict]:
    """The change feed's bulk read (two queries however many)."""
    found = ledger().reconciliation_answers_by_ids(session, [int(i) for i in ids if i.isdigit()])
    return {str(statement.id): _as_dict(statement, answer) for statement, answer in found}


def _as_dict(statement, answer) -> dict:
    result = {"statement": statement.number, "external_id": statement.external_id,
              "status": statement.status, "answer": None, "reason": "",
              "disputed_lines": [], "answered_by": None, "answered_at": None}
    if answer is not None:
        result.update(answer=answer.answer, reason=answer.reason,
                      disputed_lines=[int(n) for n in answer.disputed_lines.split(",") if n],
                      answered_by=answer.answered_by_name,
                      answered_at=answer.answered_at.isoformat())
    return result


def _refuse(session, external_id: str, data: dict):
    from plugins.documents.types import PayloadError

    raise PayloadError([{"field": "", "message": "Answers are given by the customer on the "
                                                 "portal; this resource is read-only."}])


def resources() -> list:
    from plugins.documents.types import ApiFeed, ApiField, ApiResource

    return [ApiResource(
        "reconciliation-answers", "Reconciliation answers",
        fields=(ApiField("answer", enum=("confirmed", "disputed"),
                         description="confirmed, disputed, or null while unanswered."),),
        upsert=_refuse, read=_read, order=200, feed=ApiFeed("reconciliation", _read_many),
        description="Read-only. GET by the reconciliation statement's number (or its "
                    "external_id): status, answer, reason, disputed_lines (line numbers), "
                    "answered_by, answered_at (ISO 8601, UTC).")]
