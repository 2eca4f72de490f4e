"""api.settings: the limits, from the environment, refusing nonsense by name."""

from __future__ import annotations

import pytest

from api.settings import Settings


class TestFromEnv:
    def test_defaults_are_generous(self) -> None:
        settings = Settings.from_env({})
        assert settings == Settings()
        assert settings.max_vessels >= 10_000  # centerline graphs have tens of thousands
        assert settings.max_body_bytes >= 8 * 1024 * 1024

    def test_each_variable(self) -> None:
        settings = Settings.from_env(
            {
                "HEPATIC_MAX_BODY_BYTES": "1000",
                "HEPATIC_MAX_VESSELS": "50_000",
                "HEPATIC_MAX_TUMORS": "5",
                "HEPATIC_MAX_STRING_LENGTH": "100",
                "HEPATIC_WORKERS": "3",
                "HEPATIC_BODY_TIMEOUT_S": "2",
                "UNRELATED": "x",
            }
        )
        assert settings == Settings(
            max_body_bytes=1000,
            max_vessels=50_000,
            max_tumors=5,
            max_string_length=100,
            workers=3,
            body_timeout_s=2,
        )

    def test_blank_means_default(self) -> None:
        assert Settings.from_env({"HEPATIC_MAX_VESSELS": " "}) == Settings()

    def test_not_a_number_names_the_variable(self) -> None:
        with pytest.raises(ValueError, match="HEPATIC_MAX_VESSELS must be a whole number"):
            Settings.from_env({"HEPATIC_MAX_VESSELS": "lots"})

    @pytest.mark.parametrize("value", ["0", "-5"])
    def test_not_positive_names_the_variable(self, value: str) -> None:
        with pytest.raises(ValueError, match="HEPATIC_MAX_TUMORS"):
            Settings.from_env({"HEPATIC_MAX_TUMORS": value})


def test_entry_budget_grows_with_the_limits() -> None:
    assert Settings(max_vessels=10).max_entries < Settings(max_vessels=1000).max_entries
