"""One record in, one record out: the unit of work a batch runner or an engine maps.

``classify_record`` takes a parsed case document (a dict) and returns the answer as a
dict; ``classify_line`` takes one line of JSON text. Both are pure, picklable module
functions, so ``hepatic batch``, a Dask bag or a Spark ``mapPartitions`` runs them
unchanged. A case that cannot be used never raises: its record has ``status: "error"``
and the problems, each naming the vessel or field and the fix.

The record (``hepatic-batch-record/1``)::

    {"id": case id or null, "status": "ok" | "error",
     "tool_version": …, "data_version": …,
     "classification": {outcome, michels, michels_subtype, hiatt, named_variants,
                        hepatic_trunk, sides, findings, warnings, completeness},
     "plan": {tumors: [{id, targets: [{vessel, level, path}], unsupplied_segments}],
              warnings},                                   # with_plan only
     "problems": [{code, loc, vessel, message, fix}]}      # status "error" only

The classification and plan objects hold the keys of the full documents
(``anatomy.output.documents``) that other tools rely on, in the same shapes; ``full``
gives the whole documents' objects instead.

>>> out = classify_record({"vessels": [{"id": "ao", "kind": "aorta"}, {"id": "x", "parent": "y"}]})
>>> out["status"], [p["code"] for p in out["problems"]]
('error', ['unknown_parent'])
"""

from __future__ import annotations

from typing import Any

from anatomy.case import parse_case
from anatomy.classification.classify import Classification
from anatomy.errors import CaseError, HepaticError, Problem, UnreadableError
from anatomy.formats.document import read_document
from anatomy.output.documents import classification_dict, plan_dict, versions
from anatomy.pipeline import answer
from anatomy.planning.positions import Access

__all__ = ["RECORD_FORMAT", "classify_line", "classify_record", "error_record"]

RECORD_FORMAT = "hepatic-batch-record/1"


def classify_record(
    document: object, *, with_plan: bool = False, access: Access = "femoral", full: bool = False
) -> dict[str, Any]:
    """Classify one parsed case document (and plan its tumors when ``with_plan``).

    Never raises for a bad case: the project's errors become a record with ``status:
    "error"`` and every problem; any other exception (a defect of hepatic, not of the
    case) becomes one ``internal_error`` problem, so a batch never stops for one case.
    """
    case_id = _case_id(document)
    try:
        case = parse_case(document)
        done = answer(case, with_plan=with_plan, access=access)
    except CaseError as exc:
        return error_record(case_id, exc.problems)
    except Exception as exc:  # a defect of hepatic (or its data), reported as data
        return error_record(case_id, [_internal(exc)])
    out: dict[str, Any] = {
        "id": case.id,
        "status": "ok",
        **versions(),
        "classification": (
            classification_dict(done.classification)
            if full
            else _classification(done.classification)
        ),
    }
    if done.plan is not None:
        planned = plan_dict(done.plan)
        out["plan"] = planned if full else _plan(planned)
    return out


def classify_line(
    line: str | bytes, *, with_plan: bool = False, access: Access = "femoral", full: bool = False
) -> dict[str, Any]:
    """Read one line of JSON text as a case document and classify it (classify_record);
    text that is not JSON becomes a record with its ``unreadable`` problem."""
    try:
        document = read_document(line, "json")
    except UnreadableError as exc:
        return error_record(None, exc.problems)
    return classify_record(document, with_plan=with_plan, access=access, full=full)


def error_record(case_id: str | None, problems: Any) -> dict[str, Any]:
    """The record of a case that could not be classified."""
    return {
        "id": case_id,
        "status": "error",
        **versions(),
        "problems": [p.as_dict() for p in problems],
    }


def _case_id(document: object) -> str | None:
    if isinstance(document, dict):
        value = document.get("id")
        if isinstance(value, str) and len(value) <= 64:
            return value
    return None


def _internal(exc: Exception) -> Problem:
    what = "its reference data" if isinstance(exc, HepaticError) else "the tool"
    return Problem(
        "internal_error",
        (),
        f"hepatic failed on this case ({type(exc).__name__}): a defect of {what}, not of the case.",
        "report it to the maintainers with the case and the hepatic version",
    )


def _classification(result: Classification) -> dict[str, Any]:
    """The keys of ``classification_dict`` that tools rely on, in the same shapes."""
    sig = result.signature

    def side(state: Any) -> dict[str, Any]:
        return {
            "normal": state.normal,
            "replaced_from": sorted(state.replaced_from),
            "accessory_from": sorted(state.accessory_from),
        }

    return {
        "outcome": result.outcome,
        "michels": result.michels,
        "michels_subtype": result.michels_subtype,
        "hiatt": result.hiatt,
        "named_variants": [{"id": p.id, "name": p.name} for p in result.named_variants],
        "hepatic_trunk": {"from": sig.hepatic_trunk_from},
        "sides": {"right": side(sig.right), "left": side(sig.left)},
        "findings": [{"code": f.code, "vessel": f.vessel} for f in result.findings],
        "warnings": [{"code": w.code, "vessel": w.vessel} for w in result.warnings],
        "completeness": {
            "provisional": result.provisional,
            "cannot_exclude": [{"type": t.type} for t in result.completeness.open_types],
            "unsupplied_segments": [{"segment": s} for s in result.unsupplied],
        },
    }


def _plan(planned: dict[str, Any]) -> dict[str, Any]:
    """The keys of ``plan_dict`` that tools rely on (case-format.md), in the same shapes."""
    return {
        "tumors": [
            {
                "id": tumor["id"],
                "targets": [
                    {"vessel": t["vessel"], "level": t["level"], "path": t["path"]}
                    for t in tumor["targets"]
                ],
                "unsupplied_segments": tumor["unsupplied_segments"],
            }
            for tumor in planned["tumors"]
        ],
        "warnings": [
            {"code": w["code"], "tumor": w["tumor"], "vessel": w["vessel"]}
            for w in planned["warnings"]
        ],
    }
