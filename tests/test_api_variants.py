"""GET /v1/variants, /v1/variants/{id} and its diagram: the pattern data over HTTP."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from anatomy.reference.patterns import MICHELS_ORDER, Pattern, patterns


class TestListVariants:
    def test_every_pattern_in_order(self, client: TestClient) -> None:
        response = client.get("/v1/variants")
        assert response.status_code == 200
        body = response.json()
        assert [v["id"] for v in body["variants"]] == [p.id for p in patterns()]
        types = [v["type"] for v in body["variants"] if v["scheme"] == "michels"]
        assert types == list(MICHELS_ORDER)
        assert body["data_version"].startswith("sha256:")

    def test_examples_are_left_to_the_detail(self, client: TestClient) -> None:
        assert all("example" not in v for v in client.get("/v1/variants").json()["variants"])


class TestGetVariant:
    @pytest.mark.parametrize("variant_id", ["michels-iii", "III", "iii"])
    def test_by_id_or_type(self, client: TestClient, variant_id: str) -> None:
        response = client.get(f"/v1/variants/{variant_id}")
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == "michels-iii"
        assert body["michels"] == "III"
        assert body["example"]["vessels"]

    @pytest.mark.parametrize("item", patterns(), ids=lambda p: p.id)
    def test_each_example_classifies_as_its_type(self, client: TestClient, item: Pattern) -> None:
        example = client.get(f"/v1/variants/{item.id}").json()["example"]
        answer = client.post("/v1/classify", json=example)
        assert answer.status_code == 200
        if item.michels is not None:
            assert answer.json()["classification"]["michels"] == item.michels

    @pytest.mark.parametrize(
        ("query", "media", "magic"),
        [
            ("?format=png", "image/png", b"\x89PNG"),
            ("?format=pdf", "application/pdf", b"%PDF"),
            ("?format=dot", "text/vnd.graphviz", b"digraph hepatic {"),
            ("?figure=schematic", "image/svg+xml", b"<svg"),
            ("?figure=schematic&format=png", "image/png", b"\x89PNG"),
        ],
    )
    def test_gives_the_format_asked_for(
        self, client: TestClient, query: str, media: str, magic: bytes
    ) -> None:
        response = client.get(f"/v1/variants/michels-iv/diagram{query}")
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media
        assert response.content.startswith(magic)

    def test_unknown_format_is_422(self, client: TestClient) -> None:
        response = client.get("/v1/variants/michels-iv/diagram?format=gif")
        assert response.status_code == 422

    def test_unknown_variant_is_404(self, client: TestClient) -> None:
        response = client.get("/v1/variants/michels-xi")
        assert response.status_code == 404
        assert response.json()["type"] == "urn:hepatic:problem:variant-not-found"


class TestVariantDiagram:
    def test_svg_of_the_example(self, client: TestClient) -> None:
        response = client.get("/v1/variants/michels-iii/diagram")
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/svg+xml"
        assert "<svg" in response.text
        example = client.get("/v1/variants/michels-iii").json()["example"]
        assert all(f"<title>{v['id']}</title>" in response.text for v in example["vessels"])
        assert "script-src" not in response.headers["content-security-policy"]

    @pytest.mark.parametrize(
        ("query", "media", "magic"),
        [
            ("?format=png", "image/png", b"\x89PNG"),
            ("?format=pdf", "application/pdf", b"%PDF"),
            ("?format=dot", "text/vnd.graphviz", b"digraph hepatic {"),
            ("?figure=schematic", "image/svg+xml", b"<svg"),
            ("?figure=schematic&format=png", "image/png", b"\x89PNG"),
        ],
    )
    def test_gives_the_format_asked_for(
        self, client: TestClient, query: str, media: str, magic: bytes
    ) -> None:
        response = client.get(f"/v1/variants/michels-iv/diagram{query}")
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media
        assert response.content.startswith(magic)

    def test_unknown_format_is_422(self, client: TestClient) -> None:
        response = client.get("/v1/variants/michels-iv/diagram?format=gif")
        assert response.status_code == 422

    def test_unknown_variant_is_404(self, client: TestClient) -> None:
        assert client.get("/v1/variants/nope/diagram").status_code == 404
