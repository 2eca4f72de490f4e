"""The public API is deliberate: exactly what ``anatomy.__all__`` lists."""

from __future__ import annotations

import anatomy


def test_public_api_is_exactly_all() -> None:
    # `annotations` is the __future__ feature object, not API
    public = {n for n in dir(anatomy) if not n.startswith("_")} - {"annotations"}
    modules = {name for name in public if type(getattr(anatomy, name)).__name__ == "module"}
    assert public - modules == set(anatomy.__all__)
    for name in anatomy.__all__:
        assert getattr(anatomy, name).__module__.startswith("anatomy")
