"""The JSON Resume schema cvforge ships (vendored, MIT), as the validator the tests judge exports by."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema

from tests.helpers.project import ROOT

SCHEMA = ROOT / "src" / "cvforge" / "reader" / "interop" / "schemas" / "jsonresume.schema.json"


@cache
def schema_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def schema_errors(document: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in schema_validator().iter_errors(document)]
