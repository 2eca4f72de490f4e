"""Liveness and readiness, for whatever runs the server (systemd, a container platform)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from anatomy.output.documents import versions
from anatomy.reference.collaterals import collateral_priors
from anatomy.reference.patterns import hiatt_types, patterns, usual_feeders
from anatomy.reference.route_advice import route_advice
from anatomy.reference.vocabulary import all_kinds
from api.problems import responses
from api.schemas import HealthOut, ReadyOut

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthOut, responses=responses())
async def healthz() -> dict[str, Any]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", response_model=ReadyOut, responses=responses("not-ready"))
def readyz() -> dict[str, Any]:
    """Ready once every reference data file is loaded and checked; 503 otherwise."""
    loaded = patterns()
    hiatt_types()
    usual_feeders()
    kinds = all_kinds()
    collateral_priors()  # the planner's data
    route_advice()
    return {**versions(), "status": "ready", "variants": len(loaded), "vessel_kinds": len(kinds)}
