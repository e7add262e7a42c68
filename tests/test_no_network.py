"""A build opens no socket: not for remote photos, links, stylesheets or fonts, in any theme or format."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cvforge.builder.run import FORMATS, build
from cvforge.renderers.pdf import make_fetcher
from cvforge.renderers.themes import available_themes
from tests.helpers.project import SCENARIOS


class NetworkUsedError(AssertionError):
    """Raised by every patched socket entry point; a build must never trigger it."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every way of reaching the network record the attempt and fail."""
    attempts: list[str] = []

    def refuse(name: str) -> object:
        def refused(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args[:2]}")
            raise NetworkUsedError(f"{name} called with {args[:2]}")

        return refused

    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_server"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.socket.{name}"))
    yield attempts


def test_the_guard_itself_catches_a_fetch(no_network: list[str]) -> None:
    # Proof the patch works: urllib (what WeasyPrint's default fetcher uses) is stopped and recorded.
    with pytest.raises(NetworkUsedError):
        urllib.request.urlopen("http://example.com/", timeout=1)
    assert no_network


@pytest.mark.slow
@pytest.mark.parametrize("theme", sorted(available_themes()))
def test_building_hostile_and_photo_profiles_in_every_format_opens_no_socket(
    no_network: list[str], tmp_path: Path, theme: str
) -> None:
    for scenario in ("hostile-profile", "photo-profile"):  # both files are profile.yaml: one folder each
        profile = SCENARIOS / scenario / "profile.yaml"
        result = build([profile], theme_name=theme, formats=FORMATS, out_dir=tmp_path / scenario)
        assert result.ok, result.failures
        assert len(result.outputs) == len(FORMATS)
    assert no_network == []


def test_weasyprint_with_cvforge_fetcher_does_not_fetch_remote_assets(no_network: list[str], tmp_path: Path) -> None:
    # Even HTML that asks WeasyPrint for remote images, stylesheets and fonts stays offline.
    from weasyprint import HTML

    page = """<html><head><link rel="stylesheet" href="https://evil.example/x.css">
    <style>@import url(https://evil.example/y.css);
    @font-face { font-family: X; src: url(https://evil.example/f.woff2) }
    body { background: url(http://evil.example/bg.png); font-family: X }</style></head>
    <body><img src="https://evil.example/pixel.png"><p>text</p></body></html>"""
    pdf = HTML(string=page, url_fetcher=make_fetcher([tmp_path])).write_pdf()
    assert pdf and pdf.startswith(b"%PDF")
    assert no_network == []
