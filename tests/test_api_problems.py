"""Every kind of bad request gets a 4xx RFC 9457 problem naming the problem, never a 500.

Problem documents never echo what the client sent: the marker text below is planted in
every place a value can go and must never come back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx2
import pytest
from starlette.testclient import TestClient

from anatomy.errors import ReferenceDataError
from anatomy.formats.document import MAX_DEPTH, NEEDED_DEPTH
from api.main import create_app
from api.problems import CATALOGUE, PROBLEM_MEDIA_TYPE, ApiProblem, ProblemOut, pointer
from api.settings import Settings

MARK = "zz-secret-patient-9731"
GOOD = {"vessels": [{"id": "ao", "kind": "aorta"}, {"id": "ct", "kind": "CT", "parent": "ao"}]}


@pytest.fixture(scope="module")
def tiny_limits_client() -> Iterator[TestClient]:
    """An app with tiny limits, to reach each one cheaply."""
    settings = Settings(max_body_bytes=2000, max_vessels=3, max_tumors=1, max_string_length=20)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def post(
    client: TestClient,
    body: object,
    media: str | None = "application/json",
    path: str = "/v1/classify",
) -> httpx2.Response:
    content = body if isinstance(body, str | bytes) else json.dumps(body)
    headers = {"content-type": media} if media is not None else {}
    return client.post(path, content=content, headers=headers)


def problem(response: httpx2.Response, status: int, slug: str) -> ProblemOut:
    """Check the response is the named problem and return it, validated."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    document = ProblemOut.model_validate_json(response.content)
    assert document.type == f"urn:hepatic:problem:{slug}"
    assert document.status == status
    assert document.title == CATALOGUE[slug].title
    assert document.instance.startswith("urn:uuid:")
    assert MARK not in response.text
    return document


class TestUnreadableBodies:
    def test_bad_json_names_line_and_column(self, client: TestClient) -> None:
        found = problem(post(client, '{"vessels": [\n  {"id": "ao",,}]}'), 400, "unparseable-body")
        assert "line 2, column" in found.detail

    def test_bad_yaml_names_line_and_column(self, client: TestClient) -> None:
        body = f"vessels:\n  - {{id: ao\n  - [{MARK}"
        found = problem(post(client, body, "application/yaml"), 400, "unparseable-body")
        assert "YAML" in found.detail
        assert "line" in found.detail

    def test_yaml_sent_as_json_is_bad_json(self, client: TestClient) -> None:
        problem(post(client, "vessels:\n  - {id: ao}\n"), 400, "unparseable-body")

    def test_not_utf8(self, client: TestClient) -> None:
        found = problem(post(client, b'{"title": "\xff\xfe"}'), 400, "unparseable-body")
        assert "UTF-8" in found.detail

    def test_empty_body(self, client: TestClient) -> None:
        problem(post(client, b""), 400, "unparseable-body")

    @pytest.mark.parametrize(
        "body",
        [
            '{"vessels": [{"id": "ao", "diameter_mm": NaN}]}',
            '{"vessels": [{"id": "ao", "diameter_mm": Infinity}]}',
            '{"vessels": [{"id": "ao", "diameter_mm": ' + "9" * 5000 + "}]}",
            "[" * 100_000 + "]" * 100_000,
        ],
        ids=["nan", "infinity", "5000-digit-number", "nested-100000-deep"],
    )
    def test_json_python_reads_but_json_forbids(self, client: TestClient, body: str) -> None:
        problem(post(client, body), 400, "unparseable-body")

    @pytest.mark.parametrize("media", ["application/yaml", "application/json"])
    def test_deep_nesting_names_the_cause(self, client: TestClient, media: str) -> None:
        # libyaml's cost grows with depth squared: refused early, not after minutes; and
        # the answer names the nesting, whatever libyaml's own limit says.
        body = "[" * 100_000 + "]" * 100_000
        found = problem(post(client, body, media), 400, "unparseable-body")
        assert f"nested deeper than {MAX_DEPTH} levels" in found.detail
        assert f"needs {NEEDED_DEPTH}" in found.detail

    def test_yaml_python_tags_are_refused(self, client: TestClient) -> None:
        body = "!!python/object/apply:os.system ['true']"
        problem(post(client, body, "application/yaml"), 400, "unparseable-body")

    def test_yaml_multiple_documents(self, client: TestClient) -> None:
        problem(post(client, "a: 1\n---\nb: 2\n", "text/yaml"), 400, "unparseable-body")


class TestMediaTypes:
    @pytest.mark.parametrize(
        "media",
        [
            "text/plain",
            "application/xml",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            "application/jsonx",
        ],
    )
    def test_unsupported(self, client: TestClient, media: str) -> None:
        found = problem(post(client, GOOD, media), 415, "unsupported-media-type")
        assert "application/json" in found.detail

    def test_missing_content_type(self, client: TestClient) -> None:
        problem(post(client, GOOD, None), 415, "unsupported-media-type")


class TestLimits:
    def test_declared_body_too_large_is_refused_before_reading(
        self, tiny_limits_client: TestClient
    ) -> None:
        found = problem(post(tiny_limits_client, "x" * 5000), 413, "body-too-large")
        assert "2000 bytes" in found.detail

    def test_streamed_body_too_large(self, tiny_limits_client: TestClient) -> None:
        def chunks() -> Iterator[bytes]:
            for _ in range(10):
                yield b" " * 500

        response = tiny_limits_client.post(
            "/v1/classify", content=chunks(), headers={"content-type": "application/json"}
        )
        problem(response, 413, "body-too-large")

    def test_too_many_vessels(self, tiny_limits_client: TestClient) -> None:
        case = {"vessels": [{"id": f"v{i}"} for i in range(4)]}
        found = problem(post(tiny_limits_client, case), 413, "too-many-vessels")
        assert "at most 3 vessels" in found.detail

    def test_too_many_tumors(self, tiny_limits_client: TestClient) -> None:
        case = {
            **GOOD,
            "tumors": [{"id": "t1", "segments": ["V"]}, {"id": "t2", "segments": ["V"]}],
        }
        problem(post(tiny_limits_client, case), 413, "too-many-tumors")

    def test_string_too_long_points_at_the_field(self, tiny_limits_client: TestClient) -> None:
        case = {"vessels": [{"id": "ao", "label": MARK + "-and-more-text"}]}
        found = problem(post(tiny_limits_client, case), 422, "invalid-case")
        assert found.errors is not None
        assert [(e.code, e.pointer) for e in found.errors] == [("too_long", "/vessels/0/label")]

    def test_long_keys_are_refused_without_echo(self, client: TestClient) -> None:
        case = {"vessels": [{"id": "ao", MARK * 10: 1}]}
        found = problem(post(client, case), 422, "invalid-case")
        assert found.errors is not None
        assert found.errors[0].pointer == "/vessels/0"

    def test_yaml_alias_bomb_is_stopped(self) -> None:
        settings = Settings(max_vessels=10, max_tumors=1)
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
        lines += ["vessels: [*a8]"]
        with TestClient(create_app(settings)) as bounded:
            response = post(bounded, "\n".join(lines), "application/yaml")
        problem(response, 413, "case-too-large")


class TestInvalidCases:
    """Each semantic problem is a 422 whose errors point at the vessel or field."""

    @staticmethod
    def errors(client: TestClient, case: object) -> list[tuple[str, str]]:
        found = problem(post(client, case), 422, "invalid-case")
        assert found.errors is not None
        for entry in found.errors:
            assert entry.pointer == pointer(entry.loc)
            assert entry.message and entry.fix
        return [(e.code, e.pointer) for e in found.errors]

    def test_unknown_key(self, client: TestClient) -> None:
        case = {**GOOD, "patient_name": MARK}
        assert self.errors(client, case) == [("unknown_key", "/patient_name")]

    def test_unknown_key_in_a_vessel(self, client: TestClient) -> None:
        case = {"vessels": [{"id": "ao", "kind": "aorta", "mrn": MARK}]}
        assert self.errors(client, case) == [("unknown_key", "/vessels/0/mrn")]

    def test_duplicate_ids(self, client: TestClient) -> None:
        case = {"vessels": [*GOOD["vessels"], {"id": "ct", "kind": "SMA", "parent": "ao"}]}
        assert self.errors(client, case) == [("duplicate_id", "/vessels/2/id")]

    def test_cycle(self, client: TestClient) -> None:
        case = {
            "vessels": [
                {"id": "ao", "kind": "aorta"},
                {"id": "a", "parent": "b"},
                {"id": "b", "parent": "a"},
            ]
        }
        assert self.errors(client, case) == [("cycle", "/vessels/1/parent")]

    def test_unknown_kind_is_not_echoed(self, client: TestClient) -> None:
        case = {"vessels": [{"id": "ao", "kind": MARK}]}
        assert self.errors(client, case) == [("unknown_kind", "/vessels/0/kind")]

    def test_unknown_parent(self, client: TestClient) -> None:
        case = {"vessels": [{"id": "ao"}, {"id": "x", "parent": MARK}]}
        assert self.errors(client, case) == [("unknown_parent", "/vessels/1/parent")]

    def test_bad_segment(self, client: TestClient) -> None:
        case = {"vessels": [{"id": "ao", "supplies": [MARK]}]}
        assert self.errors(client, case)[0] == ("bad_segment", "/vessels/0/supplies/0")

    def test_several_roots(self, client: TestClient) -> None:
        case = {"vessels": [{"id": "ao"}, {"id": "sma"}]}
        assert self.errors(client, case) == [("several_roots", "/vessels")]

    def test_bad_id_and_bad_number(self, client: TestClient) -> None:
        case = {"vessels": [{"id": "Ao Rta", "diameter_mm": -1}]}
        assert self.errors(client, case) == [
            ("invalid_field", "/vessels/0/diameter_mm"),
            ("invalid_field", "/vessels/0/id"),
        ]

    @pytest.mark.parametrize("body", ["[]", "null", "42", '"text"', "{}"])
    def test_not_a_case(self, client: TestClient, body: str) -> None:
        problem(post(client, body), 422, "invalid-case")

    def test_unknown_feeder(self, client: TestClient) -> None:
        case = {**GOOD, "tumors": [{"id": "t1", "segments": ["V"], "feeders": ["nope"]}]}
        assert self.errors(client, case) == [("unknown_feeder", "/tumors/0/feeders/0")]

    def test_enhancing_diameter_larger_than_the_tumor(self, client: TestClient) -> None:
        tumor = {"id": "t1", "segments": ["IV"], "diameter_mm": 40, "enhancing_diameter_mm": 45}
        assert self.errors(client, {**GOOD, "tumors": [tumor]}) == [
            ("enhancing_exceeds_diameter", "/tumors/0/enhancing_diameter_mm")
        ]

    def test_unknown_location_is_not_echoed(self, client: TestClient) -> None:
        case = {**GOOD, "tumors": [{"id": "t1", "segments": ["V"], "location": [MARK]}]}
        assert self.errors(client, case) == [("bad_location", "/tumors/0/location")]


class TestRouting:
    @pytest.mark.parametrize(
        ("method", "path", "allow"),
        [
            ("DELETE", "/v1/classify", "POST"),
            ("GET", "/v1/classify", "POST"),
            ("PUT", "/v1/validate", "POST"),
            ("POST", "/v1/variants", "GET"),
            ("PATCH", "/healthz", "GET"),
        ],
    )
    def test_405_keeps_allow(self, client: TestClient, method: str, path: str, allow: str) -> None:
        response = client.request(method, path)
        problem(response, 405, "method-not-allowed")
        assert allow in response.headers["allow"]

    def test_unknown_path(self, client: TestClient) -> None:
        problem(client.get(f"/v1/{MARK}"), 404, "not-found")

    def test_unknown_variant(self, client: TestClient) -> None:
        problem(client.get(f"/v1/variants/{MARK}"), 404, "variant-not-found")


class TestServerSide:
    def test_reference_data_failure_is_503(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken() -> None:
            raise ReferenceDataError("michels_variants/michels-i.yaml cannot be read")

        monkeypatch.setattr("api.routes.health.patterns", broken)
        found = problem(client.get("/readyz"), 503, "not-ready")
        assert "michels-i.yaml" in found.detail

    def test_unexpected_failure_is_a_500_problem(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def boom(*args: object) -> None:
            raise RuntimeError(MARK)

        monkeypatch.setattr("api.routes.cases.answer", boom)
        with TestClient(create_app(Settings()), raise_server_exceptions=False) as lenient:
            problem(post(lenient, GOOD), 500, "internal-error")

    def test_problem_slugs_must_be_catalogued(self) -> None:
        with pytest.raises(KeyError, match="CATALOGUE"):
            ApiProblem("no-such-problem", "detail")

    @pytest.mark.parametrize("slug", sorted(CATALOGUE))
    def test_catalogue_statuses_are_errors(self, slug: str) -> None:
        assert 400 <= CATALOGUE[slug].status <= 599


class TestPointer:
    def test_escapes_per_rfc_6901(self) -> None:
        assert pointer(("a/b", "m~n", 3)) == "/a~1b/m~0n/3"

    def test_root(self) -> None:
        assert pointer(()) == ""


def test_a_client_that_disconnects_mid_body_is_not_a_server_error() -> None:
    import asyncio

    app = create_app(Settings())
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/classify",
        "raw_path": b"/v1/classify",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 400


class TestStructuredErrors:
    """Issue 11, item 3: each entry names the vessel, the field, the line and column, the
    closest ids or terms and the invalid segment, and still echoes no free text."""

    THREE = (
        "vessels:\n"
        "  - {id: ao, kind: aorta}\n"
        "  - {id: celiac, kind: celiac trunk, parent: ao}\n"
        "  - {id: rha, kind: rigth hepatic, parent: celiak, supplies: [V, IX]}\n"
    )

    def test_the_three_problem_file_gives_three_entries(self, client: TestClient) -> None:
        found = problem(post(client, self.THREE, "application/yaml"), 422, "invalid-case")
        assert found.errors is not None
        kind, parent, segment = found.errors
        assert (kind.code, kind.vessel, kind.field, kind.line, kind.column) == (
            "unknown_kind",
            "rha",
            "kind",
            4,
            21,
        )
        assert kind.suggestions and "right hepatic artery (right_hepatic)" in kind.suggestions
        assert (parent.code, parent.field, parent.line, parent.suggestions) == (
            "unknown_parent",
            "parent",
            4,
            ["celiac"],
        )
        assert (segment.code, segment.pointer, segment.segment) == (
            "bad_segment",
            "/vessels/2/supplies/1",
            "IX",
        )

    def test_json_bodies_get_lines_too(self, client: TestClient) -> None:
        body = '{"vessels": [\n {"id": "ao"},\n {"id": "x", "parent": "zz"}\n]}'
        found = problem(post(client, body), 422, "invalid-case")
        assert found.errors is not None
        assert (found.errors[0].line, found.errors[0].column) == (3, 24)

    def test_a_generic_kind_lists_the_choices(self, client: TestClient) -> None:
        case = {"vessels": [{"id": "ao"}, {"id": "x", "kind": "hepatic artery", "parent": "ao"}]}
        found = problem(post(client, case), 422, "invalid-case")
        assert found.errors is not None
        (entry,) = found.errors
        assert entry.code == "ambiguous_kind"
        assert entry.suggestions and "common hepatic artery (common_hepatic)" in entry.suggestions

    def test_nothing_free_is_named(self, client: TestClient) -> None:
        case = {
            "vessels": [
                {"id": "ao"},
                {"id": MARK.upper(), "parent": "ao"},
                {"id": "x", "parent": MARK, "kind": MARK, "supplies": [MARK]},
            ]
        }
        found = problem(post(client, case), 422, "invalid-case")
        assert found.errors is not None
        by_code = {e.code: e for e in found.errors}
        assert by_code["invalid_field"].vessel is None  # the id is no slug
        assert by_code["bad_segment"].segment is None  # not written like a segment
        for entry in found.errors:
            assert MARK not in json.dumps(entry.model_dump())
