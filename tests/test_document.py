"""Reading JSON and YAML text (anatomy.formats.document): nesting, repeated keys, errors.

The nesting answer must name the real cause whatever the PyYAML or libyaml version: the
tests build bodies that each parser meets differently (a run of brackets libyaml reads
ahead through, block nesting it emits as it goes, flow nesting with content between).
"""

from __future__ import annotations

import pytest

from anatomy.errors import UnreadableError
from anatomy.formats.document import MAX_DEPTH, NEEDED_DEPTH, Repeated, read_document, sniff

DEEP = {
    "yaml-bracket-run": ("yaml", "[" * 100_000 + "]" * 100_000),
    "yaml-brace-run": ("yaml", "{" * 5_000 + "}" * 5_000),
    "yaml-flow-with-content": ("yaml", "[a, " * 200 + "]" * 200),
    "yaml-block": ("yaml", "a:\n" + "".join("  " * i + "- \n" for i in range(1, 60))),
    "yaml-one-past-the-limit": ("yaml", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)),
    "json-bracket-run": ("json", "[" * 100_000 + "]" * 100_000),
    "json-object-run": ("json", '{"a":' * 100_000 + "1" + "}" * 100_000),
}


def too_deep(exc: pytest.ExceptionInfo[UnreadableError]) -> bool:
    (problem,) = exc.value.problems
    return (
        problem.code == "too_deep"
        and f"deeper than {MAX_DEPTH} levels" in problem.message
        and f"needs {NEEDED_DEPTH}" in problem.message
    )


class TestNesting:
    @pytest.mark.parametrize(("syntax", "text"), DEEP.values(), ids=DEEP.keys())
    def test_too_deep_says_so(self, syntax: str, text: str) -> None:
        with pytest.raises(UnreadableError) as exc:
            read_document(text, syntax)  # type: ignore[arg-type]
        assert too_deep(exc)

    def test_at_the_limit_is_read(self) -> None:
        text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
        assert read_document(text, "yaml") is not None

    def test_brackets_in_text_are_not_nesting(self) -> None:
        text = "label: see " + "[" * 100 + "x\n"
        assert read_document(text) == {"label": "see " + "[" * 100 + "x"}

    def test_a_syntax_error_after_text_is_a_syntax_error(self) -> None:
        with pytest.raises(UnreadableError) as exc:
            read_document("vessels:\n  - {id: ao, kind: [aorta\n")
        (problem,) = exc.value.problems
        assert problem.code == "unreadable" and "at line" in problem.message


class TestRepeatedKeys:
    @pytest.mark.parametrize(
        "text",
        ["vessels: [{id: x, kind: LHA, kind: RHA}]", '{"vessels": [{"id": "x", "id": "y"}]}'],
    )
    def test_recorded_not_dropped(self, text: str) -> None:
        document = read_document(text)
        assert isinstance(document, dict)
        (entry,) = document["vessels"]
        assert isinstance(entry, Repeated) and len(entry.repeated) == 1

    def test_top_level(self) -> None:
        document = read_document("vessels: []\nvessels: [1]\n")
        assert isinstance(document, Repeated) and document.repeated == ("vessels",)


class TestSyntax:
    @pytest.mark.parametrize(("text", "syntax"), [('{"a": 1}', "json"), ("a: 1", "yaml")])
    def test_sniff(self, text: str, syntax: str) -> None:
        assert sniff(text) == syntax

    @pytest.mark.parametrize(
        "text", ["!!python/object/apply:os.system ['true']", "a: 1\n---\nb: 2\n"]
    )
    def test_yaml_beyond_plain_data_is_refused(self, text: str) -> None:
        with pytest.raises(UnreadableError):
            read_document(text, "yaml")

    @pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": Infinity}', '{"a": ' + "9" * 5000 + "}"])
    def test_json_python_reads_but_json_forbids(self, text: str) -> None:
        with pytest.raises(UnreadableError):
            read_document(text, "json")


def test_a_control_character_is_unreadable_yaml() -> None:
    # libyaml's reader refuses it before any mark exists: still a clean UnreadableError
    with pytest.raises(UnreadableError, match="character YAML does not allow"):
        read_document("vessels: [\b]", "yaml")
