"""Size, nesting, counts, lengths and characters are capped with located errors, never a crash or a hang."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from cvforge.errors import ProfileError
from cvforge.reader.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_ITEMS, MAX_STRING
from cvforge.reader.read import load_profile
from tests.helpers.hostile_files import fifo_unblocked_after


def problems(tmp_path: Path, text: str, name: str = "profile.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    return [str(problem).removeprefix(f"{path}:") for problem in info.value.problems]


def test_a_file_over_1_mib_is_refused_without_parsing(tmp_path: Path) -> None:
    text = "person:\n  name: Jane\n  about:\n" + "    - padding padding padding padding\n" * 30_000
    assert len(text.encode()) > MAX_FILE_BYTES
    assert problems(tmp_path, text) == ["1:1: file is 1.1 MiB; profiles are limited to 1 MiB"]


def test_a_link_to_a_device_is_refused_before_a_byte_is_read(tmp_path: Path) -> None:
    """Issue 24.10: /dev/zero has no size to go by; only regular files are read."""
    path = tmp_path / "profile.yaml"
    path.symlink_to("/dev/zero")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    (problem,) = info.value.problems
    assert str(problem) == (
        f"{path}:1:1: file is a character device, not a regular file; cvforge reads only regular files"
    )


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    started = time.monotonic()
    with fifo_unblocked_after(path, 5), pytest.raises(ProfileError, match="file is a FIFO, not a regular file"):
        load_profile(path)
    assert time.monotonic() - started < 5


def test_a_file_longer_than_its_size_says_is_read_only_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files in /proc, or one growing as it is read, say 0 bytes: the read stops one byte past the limit."""
    path = tmp_path / "profile.yaml"
    path.write_bytes(b"#" * (3 * MAX_FILE_BYTES))
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 0, *real_fstat(fd)[7:])))
    with pytest.raises(ProfileError, match="file is more than 1 MiB; profiles are limited to 1 MiB"):
        load_profile(path)


def test_deep_yaml_nesting_is_located(tmp_path: Path) -> None:
    text = "person:\n  name: Jane\noptions:\n  x: " + "[" * 40 + "]" * 40 + "\n"
    # The first "[" is at column 6; root, options and 19 lists make 21 levels.
    assert problems(tmp_path, text) == [
        f"4:{6 + MAX_DEPTH - 1}: nested deeper than {MAX_DEPTH} levels; that is the limit"
    ]


def test_deep_json_nesting_is_an_error_not_a_recursion_crash(tmp_path: Path) -> None:
    text = '{"person": {"name": "Jane"}, "custom": ' + "[" * 5000 + "]" * 5000 + "}"
    (problem,) = problems(tmp_path, text, "profile.json")
    assert problem.endswith(f"nested deeper than {MAX_DEPTH} levels; that is the limit")


def test_long_lists_and_long_texts_are_located_and_all_reported(tmp_path: Path) -> None:
    data = {
        "person": {"name": "Jane", "about": ["x" * (MAX_STRING + 1)]},
        "projects": [{"name": "P", "tech": ["t"] * (MAX_ITEMS + 1)}],
        "principles": ["y" * (MAX_STRING + 5)],
    }
    text = json.dumps(data, indent=1)
    assert problems(tmp_path, text, "profile.json") == [
        f"5:4: person.about[0]: text is 10,001 characters long; the limit is {MAX_STRING:,}",
        "11:12: projects[0].tech: list has 1,001 items; the limit is 1,000",
        f"1017:3: principles[0]: text is 10,005 characters long; the limit is {MAX_STRING:,}",
    ]


@pytest.mark.parametrize(
    ("escaped", "shown"),
    [
        (r"\a", "the control character U+0007"),
        (r"\e[31mred", "the control character U+001B"),  # an ANSI escape: terminal injection in error output
        (r"\r", "the control character U+000D"),
        (r"\x7f", "the control character U+007F"),
        (r"\N", "the control character U+0085"),
        (r"\x00", "the control character U+0000"),
        (r"\ud800", "an unpaired surrogate (U+D800), which is not a character"),
        (r"\uffff", "U+FFFF, which is not a character"),
    ],
)
def test_control_characters_are_rejected_with_their_location(tmp_path: Path, escaped: str, shown: str) -> None:
    text = f'person:\n  name: Jane\n  headline: "Backend {escaped} engineer"\n'
    assert problems(tmp_path, text) == [
        f"3:13: person.headline: contains {shown} at character 9; only printable text, line breaks and tabs are allowed"
    ]


def test_tabs_line_breaks_and_format_characters_are_text(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(
        'person:\n  name: "Ja\\u200dne \\u202eDoe\\u202c"\n  about: ["one\\tcolumn\\ntwo"]\n', encoding="utf-8"
    )
    profile = load_profile(path)
    assert profile.person.about == ["one\tcolumn\ntwo"]
    assert "\u202e" in profile.person.name


def test_control_characters_in_keys_are_rejected_too(tmp_path: Path) -> None:
    text = 'person:\n  name: Jane\noptions:\n  "acc\\x1bent": "#000"\n'
    (problem,) = problems(tmp_path, text)
    assert problem.startswith("4:3: options.acc\x1bent: contains the control character U+001B at character 4")


def test_an_alias_bomb_is_stopped_by_the_value_count(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    text = "person: {name: Jane}\noptions:\n" + "\n".join(f"  {line}" for line in lines) + "\n"
    (problem,) = problems(tmp_path, text)
    assert "the profile holds more than 50,000 values (through YAML aliases?)" in problem


def test_a_self_referencing_alias_is_an_error_not_a_loop(tmp_path: Path) -> None:
    # ruamel resolves an alias to its own unfinished node as an empty value; the walker's depth cap
    # would stop a real cycle too.
    (problem,) = problems(tmp_path, "person: &me {name: Jane, links: [*me]}\n")
    assert problem == "1:9: person.links[0]: expected a mapping (key: value pairs), got nothing (an empty value)"


def test_python_tags_construct_nothing_and_run_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f'person: !!python/object/apply:os.system ["touch {marker}"]\n'
    (problem,) = problems(tmp_path, text)
    assert "person: expected a mapping" in problem
    assert not marker.exists()


def test_binary_data_is_not_text(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, "person:\n  name: !!binary aGVsbG8=\n")
    assert problem == "2:9: person.name: binary data (!!binary) is not text; write the text itself"


def test_non_utf8_is_located_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes(b"person:\n  name: Jane\n  headline: caf\xe9\n")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert str(info.value.problems[0]).endswith(":3:16: file is not UTF-8 text")


def test_json_surrogate_pair_escapes_are_one_character(tmp_path: Path) -> None:
    # json.dumps writes an emoji as "\ud83d\ude00"; YAML parsers keep the halves apart unless joined.
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"person": {"name": "Jane 😀 Doe", "about": ["𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]}}), encoding="utf-8")
    assert "\\ud83d\\ude00" in path.read_text(encoding="utf-8")
    profile = load_profile(path)
    assert profile.person.name == "Jane 😀 Doe"
    assert profile.person.about == ["𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]
