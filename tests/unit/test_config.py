"""Configuration from the environment."""

from __future__ import annotations

import pytest

from wijkraad import config


def test_request_limits_come_from_the_environment(monkeypatch, tmp_path):
    assert config.Defaults.MAX_CONTENT_LENGTH == 1024 * 1024
    monkeypatch.setenv("WIJKRAAD_MAX_CONTENT_LENGTH", "20971520")
    monkeypatch.setenv("WIJKRAAD_MAX_FORM_PARTS", "50")
    loaded = config.from_environment(tmp_path)
    assert loaded["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024 and loaded["MAX_FORM_PARTS"] == 50
    monkeypatch.setenv("WIJKRAAD_MAX_CONTENT_LENGTH", "1 MB")
    with pytest.raises(ValueError, match="WIJKRAAD_MAX_CONTENT_LENGTH"):
        config.from_environment(tmp_path)
