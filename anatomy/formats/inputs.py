"""Which reader an input needs, by the file's extension, its content or the caller's
choice, and the Case it gives.

=============  ==========================================  ===============================
format         files                                       reader
=============  ==========================================  ===============================
``case``       ``.yaml``, ``.yml``, ``.json`` (a case)     ``anatomy.case`` (hepatic-case/1)
``node-link``  ``.json`` with ``nodes`` and ``edges``      ``anatomy.formats.nodelink``
               (or the older ``links``)
``graphml``    ``.graphml``                                ``anatomy.formats.graphml``
``swc``        ``.swc`` and its sidecar                    ``anatomy.formats.swc``
               (``NAME.sidecar.yaml`` beside it)
=============  ==========================================  ===============================

Every reader ends in the case's own validation, so a problem is reported the same way
whichever format it came in, with its place in that format (and its line where the text
has lines).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from anatomy.case import Case, parse_case
from anatomy.errors import CaseError, Problem, UnreadableError
from anatomy.formats.converted import Converted, case_from
from anatomy.formats.document import locate, read_document, read_file

__all__ = ["INPUT_FORMATS", "InputFormat", "format_of", "load_input", "parse_input", "sidecar_of"]

InputFormat = Literal["case", "node-link", "graphml", "swc"]
INPUT_FORMATS: tuple[InputFormat, ...] = ("case", "node-link", "graphml", "swc")
_BY_SUFFIX: dict[str, InputFormat] = {
    ".yaml": "case",
    ".yml": "case",
    ".graphml": "graphml",
    ".swc": "swc",
}


def format_of(path: str | Path) -> InputFormat | None:
    """The format a file's extension says (None for ``.json``: case or node-link, read
    from the content)."""
    return _BY_SUFFIX.get(Path(path).suffix.lower())


def sidecar_of(path: str | Path) -> Path:
    """Where an SWC file's sidecar is by default: ``tree.swc`` -> ``tree.sidecar.yaml``."""
    return Path(path).with_suffix(".sidecar.yaml")


def load_input(
    path: str | Path, input_format: InputFormat | None = None, sidecar: str | Path | None = None
) -> Case:
    """Read and validate any input file: a case, node-link JSON, GraphML or SWC (with its
    sidecar: ``sidecar``, else ``NAME.sidecar.yaml``)."""
    path = Path(path)
    fmt = input_format or format_of(path)
    data = read_file(path)
    extra: bytes | None = None
    if fmt == "swc":
        sidecar_path = Path(sidecar) if sidecar is not None else sidecar_of(path)
        extra = read_file(sidecar_path, f"the SWC file's sidecar ({sidecar_path.name})")
    return parse_input(data, fmt, sidecar=extra, source=str(path))


def parse_input(
    data: str | bytes,
    input_format: InputFormat | None = None,
    *,
    sidecar: str | bytes | None = None,
    source: str | None = None,
    max_points: int | None = None,
) -> Case:
    """Validate an input given as text in ``input_format`` (None: a case or node-link JSON,
    told apart by content)."""
    from anatomy.formats.graphml import read_graphml
    from anatomy.formats.nodelink import is_node_link, node_link_document
    from anatomy.formats.swc import read_swc

    try:
        if input_format == "graphml":
            return case_from(read_graphml(data), source)
        if input_format == "swc":
            if sidecar is None:
                raise CaseError([_no_sidecar()])
            return case_from(read_swc(data, sidecar, max_points), source)
        document = read_document(data, "json" if input_format == "node-link" else None)
        if input_format == "node-link" or (input_format is None and is_node_link(document)):
            return _located(data, node_link_document(document), source)
        try:
            return parse_case(document, source=source)
        except CaseError as exc:
            raise CaseError(locate(data, exc.problems), source=source) from None
    except UnreadableError as exc:
        raise UnreadableError(exc.problems, source=source) from None
    except CaseError as exc:
        if exc.source is None and source is not None:
            raise type(exc)(exc.problems, source=source) from None
        raise


def _located(data: str | bytes, converted: Converted, source: str | None) -> Case:
    """A converted JSON document's case; its problems placed in the JSON text."""
    try:
        return case_from(converted, source)
    except CaseError as exc:
        raise CaseError(locate(data, exc.problems), source=source) from None


def _no_sidecar() -> Problem:
    return Problem(
        "unreadable",
        ("sidecar",),
        "an SWC file holds points only: the sidecar names the vessels and the unit.",
        "give the sidecar (hepatic-swc-sidecar/1; docs/input-formats.md)",
    )
