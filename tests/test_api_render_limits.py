"""The drawing routes under the renderer limits (issue 16): a 413 for a tree too large to
draw, a 503 with Retry-After past the cap on renderers, a 503 for a renderer past its time
limit, and a renderer stopped when its client goes away.

Fake renderers (shell scripts named by HEPATIC_DOT and HEPATIC_CHROMIUM) hold their slot
until the test opens a gate, so which requests find a free slot does not depend on
timing. No assertion is about speed.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import anyio
import pytest
from fastapi import Request
from starlette.testclient import TestClient

from anatomy.errors import RenderCancelledError
from anatomy.output.processes import Finished, Renderers, RenderLimits
from api.openapi import SEED_EXAMPLE
from api.rendering import while_connected
from tests.test_render_limits import (
    PATIENCE_S,
    gated,
    pids,
    running,
    sleeper,
    star,
    wait_for,
)

SEED_YAML = SEED_EXAMPLE.read_text(encoding="utf-8")
PROBLEM = "urn:hepatic:problem:"


def post(client: TestClient, path: str, body: str, media: str = "application/yaml") -> Any:
    return client.post(path, content=body, headers={"content-type": media})


class TestTooLargeToDraw:
    def test_a_100000_vessel_star_is_refused_before_dot(
        self, client: TestClient, environment: pytest.MonkeyPatch
    ) -> None:
        environment.setenv("HEPATIC_DOT", "/nonexistent/dot")  # dot must not even be tried
        body = json.dumps(star(99_996))  # 100,000 vessels, the most a case may have
        response = post(client, "/v1/render?format=png", body, "application/json")
        assert response.status_code == 413
        problem = response.json()
        assert problem["type"] == PROBLEM + "tree-too-large-to-draw"
        assert "100,000 vessels to draw" in problem["detail"]
        assert "2,000" in problem["detail"]
        assert "format=dot" in problem["detail"]
        assert "HEPATIC_MAX_DRAWN_VESSELS" in problem["detail"]

    def test_dot_text_of_the_same_tree_is_written(
        self, client: TestClient, environment: pytest.MonkeyPatch
    ) -> None:
        environment.setenv("HEPATIC_MAX_DRAWN_VESSELS", "50")
        body = json.dumps(star(100))
        refused = post(client, "/v1/render?format=svg", body, "application/json")
        assert refused.status_code == 413
        assert "104 vessels to draw" in refused.json()["detail"]
        written = post(client, "/v1/render?format=dot", body, "application/json")
        assert written.status_code == 200
        assert written.text.count(' -> "v') == 100

    def test_the_schematic_of_the_same_tree_is_drawn(
        self, client: TestClient, environment: pytest.MonkeyPatch
    ) -> None:
        environment.setenv("HEPATIC_MAX_DRAWN_VESSELS", "50")
        body = json.dumps(star(100))
        drawn = post(client, "/v1/render?format=svg&figure=schematic", body, "application/json")
        assert drawn.status_code == 200


class TestBusy:
    def test_past_the_cap_a_503_with_retry_after(
        self, client: TestClient, environment: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        environment.setenv("HEPATIC_DOT", str(gated(tmp_path, "<svg/>")))
        environment.setenv("HEPATIC_MAX_RENDERERS", "1")
        environment.setenv("HEPATIC_RENDER_WAIT_S", "0.1")
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(post, client, "/v1/render?format=svg", SEED_YAML)
            wait_for(lambda: any(tmp_path.glob("started.*")), "the first dot to start")
            second = post(client, "/v1/render?format=svg", SEED_YAML)
            assert second.status_code == 503
            assert second.json()["type"] == PROBLEM + "renderer-busy"
            assert int(second.headers["retry-after"]) >= 1
            assert "format=dot" in second.json()["detail"]
            dot_text = post(client, "/v1/render?format=dot", SEED_YAML)
            assert dot_text.status_code == 200  # DOT text takes no renderer slot
            (tmp_path / "gate").touch()
            assert first.result(PATIENCE_S).status_code == 200

    def test_20_concurrent_pdf_reports_start_only_the_cap(
        self, client: TestClient, environment: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        chromium = tmp_path / "chromium"
        chromium.write_text(
            '#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) '
            'out="${a#--print-to-pdf=}";; esac; done\n'
            f"touch {tmp_path}/started.$$\n"
            f"while [ ! -e {tmp_path / 'gate'} ]; do sleep 0.05; done\n"
            "printf '%%PDF-1.4 fake' > \"$out\"\n",
            encoding="utf-8",
        )
        chromium.chmod(0o755)
        environment.setenv("HEPATIC_CHROMIUM", str(chromium))
        environment.setenv("HEPATIC_MAX_RENDERERS", "2")
        environment.setenv("HEPATIC_RENDER_WAIT_S", "0.1")
        with ThreadPoolExecutor(20) as pool:
            answers = [
                pool.submit(post, client, "/v1/report?format=pdf", SEED_YAML) for _ in range(20)
            ]
            wait_for(lambda: sum(a.done() for a in answers) == 18, "18 requests to be refused")
            (tmp_path / "gate").touch()
            statuses = sorted(a.result(PATIENCE_S).status_code for a in answers)
        assert statuses == [200] * 2 + [503] * 18
        assert len(list(tmp_path.glob("started.*"))) == 2
        refused = next(a.result() for a in answers if a.result().status_code == 503)
        assert refused.json()["type"] == PROBLEM + "renderer-busy"
        assert "retry-after" in refused.headers


class TestTimeout:
    def test_dot_past_its_time_is_a_503_and_is_killed(
        self, client: TestClient, environment: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        environment.setenv("HEPATIC_DOT", str(sleeper(tmp_path)))
        environment.setenv("HEPATIC_RENDER_TIMEOUT_S", "0.5")
        response = post(client, "/v1/render?format=png", SEED_YAML)
        assert response.status_code == 503
        assert response.json()["type"] == PROBLEM + "render-timed-out"
        assert "format=dot" in response.json()["detail"]
        leader, child = pids(tmp_path)
        wait_for(lambda: not running(leader) and not running(child), "dot to die")


class _LeavingClient:
    """A request whose client leaves once ``gone`` is set."""

    def __init__(self, gone: threading.Event) -> None:
        self.gone = gone

    async def is_disconnected(self) -> bool:
        return self.gone.is_set()


class TestClientGoesAway:
    def test_the_renderer_is_killed(self, tmp_path: Path) -> None:
        slots = Renderers(RenderLimits(max_renderers=1, render_wait_s=0.1))
        gone = threading.Event()
        command = [str(sleeper(tmp_path))]

        def work(cancel: threading.Event) -> Finished:
            return slots.run(command, name="the sleeper", cancel=cancel)

        async def serve() -> None:
            request = cast("Request", _LeavingClient(gone))
            with pytest.raises(RenderCancelledError):
                await while_connected(request, work)

        def leave() -> None:
            pids(tmp_path)  # the renderer has started
            gone.set()

        leaving = threading.Thread(target=leave)
        leaving.start()
        anyio.run(serve)
        leaving.join(PATIENCE_S)
        leader, child = pids(tmp_path)
        wait_for(lambda: not running(leader) and not running(child), "the group to die")

    def test_a_connected_client_gets_the_result_and_the_errors(self) -> None:
        request = cast("Request", _LeavingClient(threading.Event()))

        def fails(cancel: threading.Event) -> None:
            raise ValueError("as it is")

        async def serve() -> None:
            assert await while_connected(request, lambda cancel: cancel.is_set()) is False
            with pytest.raises(ValueError, match="as it is"):
                await while_connected(request, fails)

        anyio.run(serve)


class TestDocumented:
    @pytest.mark.parametrize(
        ("path", "statuses"),
        [("/v1/render", {"413", "503"}), ("/v1/report", {"503"})],
    )
    def test_drawing_routes_document_the_limits(
        self, client: TestClient, path: str, statuses: set[str]
    ) -> None:
        document = client.get("/openapi.json").json()
        answers = document["paths"][path]["post"]["responses"]
        assert statuses <= set(answers)
        assert "Every renderer is busy" in answers["503"]["description"]
        assert "took too long" in answers["503"]["description"]
        if "413" in statuses:
            assert "too large to draw" in answers["413"]["description"]
