"""Faulty input found by hand: each is a located problem (exit 1) or a clean failure, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cvforge.cli import main
from cvforge.errors import ProfileError
from cvforge.reader.read import load_profile

HEAD = "person:\n  name: Jane Doe\n  email: jane@example.com\n"


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    return [str(p) for p in caught.value.problems]


def test_a_5000_digit_json_number_is_located(tmp_path: Path) -> None:
    """Issue 12.9."""
    path = tmp_path / "big.json"
    path.write_text(
        '{\n "person": {\n  "name": "Jane",\n  "email": "j@example.com",\n  "x": ' + "9" * 5000 + "\n }\n}\n"
    )
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:5:8:") and "digits" in problem


def test_nan_is_not_a_json_name(tmp_path: Path) -> None:
    path = tmp_path / "nan.json"
    path.write_text('{\n "person": {\n  "name": NaN,\n  "email": "j@example.com"\n }\n}\n')
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:3:11:") and "NaN" in problem


def test_an_impossible_date_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "date.yaml"
    path.write_text(HEAD + "experience:\n  - title: Dev\n    organisation: X\n    start: 2024-02-30\n")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:7:12:"), problem
    assert "2024-02-30" in problem


def test_a_bad_unicode_escape_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "esc.yaml"
    path.write_text('person:\n  name: "Jane"\n  email: j@example.com\n  headline: "a \\UFFFFFFFF b"\n')
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:4:"), problem
    assert "escape" in problem.lower()


def test_valid_dates_still_read_as_dates(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(HEAD + "experience:\n  - title: Dev\n    organisation: X\n    start: 2024-02-29\n")
    start = load_profile(path).experience[0].start
    assert start is not None and (start.year, start.month, start.day) == (2024, 2, 29)


def test_a_font_given_as_a_stylesheet_fails_validation_not_the_build(tmp_path: Path) -> None:
    path = tmp_path / "css.yaml"
    path.write_text(HEAD + "options:\n  stylesheets: fonts/Inter-Bold.woff2\n")
    result = run(tmp_path, "validate", str(path))
    assert result.exit_code == 1 and "stylesheet" in result.output and "Inter-Bold.woff2" in result.output
    result = run(tmp_path, "build", str(path), "--format", "html", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "Inter-Bold.woff2" in result.output


@pytest.mark.parametrize(
    ("extra", "expected"), [("theme: nosuch\n", "unknown theme 'nosuch'"), ("options:\n  accent: red-ish\n", "accent")]
)
def test_validate_checks_the_theme_and_its_options(tmp_path: Path, extra: str, expected: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(HEAD + extra)
    result = run(tmp_path, "validate", str(path))
    assert result.exit_code == 1, result.output
    assert expected in result.output


def test_a_source_date_epoch_past_year_9999_is_a_clean_failure(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(HEAD)
    result = run(
        tmp_path, "build", str(path), "--format", "docx", "--out", str(tmp_path / "o"),
        env={"SOURCE_DATE_EPOCH": "253402300800"},
    )  # fmt: skip
    assert result.exit_code == 1 and "SOURCE_DATE_EPOCH" in result.output, result.output


def test_new_with_a_300_character_name_is_a_clean_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(tmp_path, "new", "a" * 300)
    assert result.exit_code in (1, 2) and "long" in result.output, result.output
    assert not list(tmp_path.rglob("*.yaml"))


def test_a_control_character_does_not_hide_dangerous_urls(tmp_path: Path) -> None:
    """Issue 12.11: the limits pass and validation report together."""
    path = tmp_path / "p.yaml"
    path.write_text(
        'person:\n  name: "Jane\\x01 Doe"\n  email: jane@example.com\n  website: javascript:alert(1)\n'
        "projects:\n  - name: P\n    url: file:///etc/passwd\n    description: x\n"
        "  - name: Q\n    url: 'javascript:alert(2)'\n    description: y\n"
    )
    problems = problems_of(path)
    lines = {int(p.split(":")[1]) for p in problems}
    assert {2, 4, 7, 10} <= lines, problems


def test_a_large_profile_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12.12: the size is checked before reading, by every path that reads a profile."""
    path = tmp_path / "big.yaml"
    with path.open("w") as handle:
        handle.write(HEAD)
        handle.write("summary:\n" + "  - x\n" * (2 * 1024 * 1024 // 6))
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "big.yaml":
            opened.append(str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def guard(real: Any) -> Any:
        def read(self: Path, *args: object, **kwargs: object) -> object:
            if self.name == "big.yaml":
                opened.append(str(self))
            return real(self, *args, **kwargs)

        return read

    monkeypatch.setattr(Path, "open", spy)
    monkeypatch.setattr(Path, "read_text", guard(Path.read_text))
    monkeypatch.setattr(Path, "read_bytes", guard(Path.read_bytes))
    for command in (["validate", str(path)], ["build", str(path), "--format", "md", "--out", str(tmp_path / "o")]):
        result = run(tmp_path, *command)
        assert result.exit_code == 1 and "limited to 1 MiB" in result.output, result.output
    assert opened == []
