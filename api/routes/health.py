"""Liveness and readiness, for whatever runs the server (systemd, a container platform).

Neither waits behind the work of other requests: /healthz answers on the event loop, which
no request's work runs on (api.deps.off_loop), and /readyz checks the data in a thread of
its own."""

from __future__ import annotations

from typing import Any

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Request

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
async def readyz(request: Request) -> dict[str, Any]:
    """Ready once every reference data file is loaded and checked; 503 otherwise."""
    probes: CapacityLimiter = request.app.state.probes
    return await to_thread.run_sync(_ready, limiter=probes)


def _ready() -> dict[str, Any]:
    loaded = patterns()
    hiatt_types()
    usual_feeders()
    kinds = all_kinds()
    collateral_priors()  # the planner's data
    route_advice()
    return {**versions(), "status": "ready", "variants": len(loaded), "vessel_kinds": len(kinds)}
