"""Renderers under limits (issue 16): a timeout and a cancel that kill the whole process
group, a cap on renderers at once, a size limit for drawn trees, and labels drawn exactly
as written.

The renderers here are tiny shell scripts standing in for ``dot`` and Chromium: each
starts a child of its own (as Chromium does) and writes both process ids to a file, so a
test can check that nothing of the renderer is left running. No assertion is about
speed; the waits are generous bounds that only keep a broken test from hanging.
"""

from __future__ import annotations

import copy
import json
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from anatomy.case import parse_case
from anatomy.cli.main import main
from anatomy.errors import (
    HepaticError,
    RenderCancelledError,
    RendererBusyError,
    RenderError,
    RenderTimeoutError,
    TooLargeToDrawError,
)
from anatomy.output.diagram import case_diagram, diagram, render
from anatomy.output.figures import drawn_limit
from anatomy.output.processes import Finished, Renderers, RenderLimits
from anatomy.output.report import report_html
from anatomy.pipeline import answer
from bench.synthetic import star
from tests.conftest import needs
from tests.trees import TYPE_III, classified

needs_dot = needs("dot")
SVG = "{http://www.w3.org/2000/svg}"
PATIENCE_S = 30.0  # the longest any wait here may take before the test fails


def chain(length: int) -> dict[str, Any]:
    """aorta → celiac → CHA → PHA → ``length`` unnamed vessels in a row → the LHA."""
    vessels: list[dict[str, Any]] = [
        {"id": "ao", "kind": "aorta"},
        {"id": "ct", "kind": "celiac trunk", "parent": "ao"},
        {"id": "cha", "kind": "CHA", "parent": "ct"},
        {"id": "pha", "kind": "PHA", "parent": "cha"},
    ]
    parent = "pha"
    for i in range(length):
        vessels.append({"id": f"c{i}", "parent": parent})
        parent = f"c{i}"
    vessels.append({"id": "lha", "kind": "LHA", "parent": parent, "supplies": ["II", "III"]})
    return {"format": "hepatic-case/1", "id": "chain", "vessels": vessels}


def script(folder: Path, name: str, body: str) -> Path:
    """An executable shell script ``name`` in ``folder``."""
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)
    return path


def sleeper(folder: Path) -> Path:
    """A renderer that never ends: it starts a child, writes both pids, then sleeps."""
    return script(
        folder,
        "sleeper",
        f"sleep 300 &\necho $$ $! > {folder / 'pids.tmp'}\n"
        f"mv {folder / 'pids.tmp'} {folder / 'pids'}\nsleep 300\n",
    )


def gated(folder: Path, output: str) -> Path:
    """A renderer that says it started, waits for the file ``gate``, then prints ``output``."""
    return script(
        folder,
        "gated",
        f"cat > /dev/null\ntouch {folder}/started.$$\n"
        f"while [ ! -e {folder / 'gate'} ]; do sleep 0.05; done\nprintf '%s' '{output}'\n",
    )


def wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def pids(folder: Path) -> list[int]:
    wait_for((folder / "pids").exists, "the renderer to start")
    return [int(p) for p in (folder / "pids").read_text().split()]


def limits(**values: Any) -> RenderLimits:
    return RenderLimits(**{"max_renderers": 2, "render_wait_s": 0.1, **values})


class TestRenderLimits:
    def test_defaults(self) -> None:
        found = RenderLimits.from_env({})
        assert 1 <= found.max_renderers <= 4
        assert found.max_drawn_vessels == 2_000
        assert found.render_timeout_s == 30
        assert found.retry_after_s >= 1

    def test_read_from_the_environment(self) -> None:
        found = RenderLimits.from_env(
            {
                "HEPATIC_MAX_RENDERERS": "7",
                "HEPATIC_RENDER_TIMEOUT_S": "2.5",
                "HEPATIC_RENDER_WAIT_S": "0.2",
                "HEPATIC_MAX_DRAWN_VESSELS": "50",
            }
        )
        assert found == RenderLimits(7, 2.5, 0.2, 50)
        assert found.retry_after_s == 1

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("HEPATIC_MAX_RENDERERS", "two"),
            ("HEPATIC_MAX_RENDERERS", "0"),
            ("HEPATIC_RENDER_TIMEOUT_S", "-1"),
            ("HEPATIC_RENDER_TIMEOUT_S", "inf"),
            ("HEPATIC_MAX_DRAWN_VESSELS", "1.5"),
        ],
    )
    def test_a_bad_value_names_its_variable(self, name: str, value: str) -> None:
        with pytest.raises(ValueError, match=name):
            RenderLimits.from_env({name: value})


class TestRun:
    def test_output_and_exit_status(self) -> None:
        done = Renderers(limits()).run(["cat"], name="cat", stdin=b"DOT text")
        assert done == Finished(0, b"DOT text", b"")

    def test_timeout_kills_the_process_group(self, tmp_path: Path) -> None:
        command = [str(sleeper(tmp_path))]
        with pytest.raises(RenderTimeoutError, match=r"within 0\.5 s.*HEPATIC_RENDER_TIMEOUT_S"):
            Renderers(limits(render_timeout_s=0.5)).run(command, name="the sleeper")
        leader, child = pids(tmp_path)
        wait_for(lambda: not running(leader) and not running(child), "the group to die")

    def test_cancel_kills_the_process_group(self, tmp_path: Path) -> None:
        cancel = threading.Event()
        failures: list[BaseException] = []

        def draw() -> None:
            try:
                Renderers(limits()).run([str(sleeper(tmp_path))], name="sleeper", cancel=cancel)
            except BaseException as exc:
                failures.append(exc)

        worker = threading.Thread(target=draw)
        worker.start()
        leader, child = pids(tmp_path)
        assert running(leader) and running(child)
        cancel.set()
        worker.join(PATIENCE_S)
        assert not worker.is_alive()
        assert [type(f) for f in failures] == [RenderCancelledError]
        wait_for(lambda: not running(leader) and not running(child), "the group to die")

    def test_nothing_starts_once_cancelled(self, tmp_path: Path) -> None:
        cancel = threading.Event()
        cancel.set()
        with pytest.raises(RenderCancelledError):
            Renderers(limits()).run([str(sleeper(tmp_path))], name="sleeper", cancel=cancel)
        assert not (tmp_path / "pids").exists()

    def test_past_the_cap_busy_not_queued(self, tmp_path: Path) -> None:
        slots = Renderers(limits(max_renderers=1))
        command = [str(gated(tmp_path, "drawn"))]
        results: list[Finished] = []
        worker = threading.Thread(target=lambda: results.append(slots.run(command, name="one")))
        worker.start()
        wait_for(lambda: any(tmp_path.glob("started.*")), "the first renderer to start")
        with pytest.raises(RendererBusyError, match="HEPATIC_MAX_RENDERERS") as busy:
            slots.run(command, name="two")
        assert busy.value.retry_after_s >= 1
        assert len(list(tmp_path.glob("started.*"))) == 1  # the second never started
        (tmp_path / "gate").touch()
        worker.join(PATIENCE_S)
        assert results == [Finished(0, b"drawn", b"")]
        assert slots.run(command, name="three").stdout == b"drawn"  # the slot is free again

    def test_a_command_that_cannot_start_frees_its_slot(self) -> None:
        slots = Renderers(limits(max_renderers=1))
        with pytest.raises(FileNotFoundError):
            slots.run(["/nonexistent/renderer"], name="nothing")
        assert slots.run(["cat"], name="cat", stdin=b"x").stdout == b"x"

    def test_the_errors_are_the_projects(self) -> None:
        for error in (RendererBusyError, RenderTimeoutError, RenderCancelledError):
            assert issubclass(error, RenderError)
            assert issubclass(error, HepaticError)


class TestDotUnderLimits:
    def test_dot_times_out(self, tmp_path: Path, environment: pytest.MonkeyPatch) -> None:
        environment.setenv("HEPATIC_DOT", str(sleeper(tmp_path)))
        environment.setenv("HEPATIC_RENDER_TIMEOUT_S", "0.5")
        with pytest.raises(RenderTimeoutError, match="Graphviz dot"):
            render("digraph x {}", "svg")
        leader, child = pids(tmp_path)
        wait_for(lambda: not running(leader) and not running(child), "dot to die")

    def test_dot_text_needs_no_renderer(self, environment: pytest.MonkeyPatch) -> None:
        environment.setenv("HEPATIC_DOT", "/nonexistent/dot")
        assert render("digraph x {}", "dot") == b"digraph x {}"


class TestDrawnVesselLimit:
    def test_a_star_past_the_limit_names_the_counts(self) -> None:
        case = parse_case(star(2_100))
        with pytest.raises(TooLargeToDrawError, match=r"2,104 vessels to draw.*2,000") as big:
            case_diagram(case, answer(case).classification, max_vessels=2_000)
        assert (big.value.drawn, big.value.vessels, big.value.limit) == (2_104, 2_104, 2_000)
        assert "HEPATIC_MAX_DRAWN_VESSELS" in str(big.value)
        assert "DOT text" in str(big.value)

    def test_dot_text_has_no_limit(self) -> None:
        case = parse_case(star(2_100))
        text = case_diagram(case, answer(case).classification)
        assert text.count(' -> "v') == 2_100

    def test_chains_are_collapsed_before_counting(self) -> None:
        case = parse_case(chain(3_000))
        text = case_diagram(case, answer(case).classification, max_vessels=10)
        assert "… 3000 branches" in text

    def test_the_limit_of_each_figure_and_format(self, environment: pytest.MonkeyPatch) -> None:
        environment.setenv("HEPATIC_MAX_DRAWN_VESSELS", "123")
        assert drawn_limit("tree", "png") == 123
        assert drawn_limit("tree", "svg") == 123
        assert drawn_limit("tree", "dot") is None
        assert drawn_limit("schematic", "png") is None  # it draws the named arteries only

    def test_the_limit_counts_drawn_vessels_only(self) -> None:
        result = classified(TYPE_III)
        assert diagram(result, max_vessels=len(result.anatomy.tree)).startswith("digraph")
        with pytest.raises(TooLargeToDrawError):
            diagram(result, max_vessels=len(result.anatomy.tree) - 1)

    def test_cli_refuses_an_image_and_writes_dot_text(self, tmp_path: Path) -> None:
        source = tmp_path / "star.json"
        source.write_text(json.dumps(star(2_100)), encoding="utf-8")
        refused = CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "s.png")])
        assert refused.exit_code == 2
        assert "2,104 vessels to draw" in refused.output
        assert not (tmp_path / "s.png").exists()
        written = CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "s.dot")])
        assert written.exit_code == 0, written.output

    def test_a_report_keeps_its_text_and_says_why_the_tree_is_left_out(
        self, environment: pytest.MonkeyPatch
    ) -> None:
        environment.setenv("HEPATIC_DOT", "/nonexistent/dot")  # dot must not even be tried
        case = parse_case(star(2_100))
        done = answer(case)
        page = report_html(case, done.classification, figures=("schematic", "tree"))
        assert "tree diagram is left out" in page
        assert "2,104 vessels to draw" in page
        assert "Classification" in page


LITERAL_LABELS = (
    r"see \N in \G",
    "a & b < c > d",
    "\"q\" 'r' \\\\ s\\",
    r"\L \T \H \E \l \n",
)


@needs_dot
class TestLabelsDrawnAsWritten:
    """Case text passes no Graphviz escape (``\\N`` is the node's name, ``\\G`` the
    graph's) and no markup: the SVG shows it character for character."""

    def drawn_text(self, source: dict[str, Any]) -> list[str]:
        case = parse_case(source)
        svg = render(case_diagram(case, answer(case).classification), "svg")
        return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]

    @pytest.mark.parametrize("label", LITERAL_LABELS)
    def test_vessel_labels(self, label: str) -> None:
        source = copy.deepcopy(TYPE_III)
        for vessel in source["vessels"]:
            if vessel["id"] == "lha":
                vessel["label"] = label  # a named vessel: its label is a note
        source["vessels"].append({"id": "x1", "parent": "gda", "label": label})  # its name
        assert self.drawn_text(source).count(label) == 2

    @pytest.mark.parametrize("label", LITERAL_LABELS)
    def test_tumor_labels_and_the_title(self, label: str) -> None:
        source = {
            **copy.deepcopy(TYPE_III),
            "title": label,
            "tumors": [{"id": "t1", "segments": ["II"], "label": label}],
        }
        shown = self.drawn_text(source)
        assert shown.count(label) == 2, shown
