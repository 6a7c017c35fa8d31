"""Shared test settings: Hypothesis profiles (few examples in CI, more locally), fixtures."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from pipeline.catalogue import Catalogue, load_catalogue

settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The bundled catalogue, loaded and checked once for the whole run."""
    return load_catalogue()


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own cache folder (catalogue checks, files read): no test reads what
    another test's files or settings left there, and the user's ~/.cache is never touched."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
