"""Reading JSON documents with orjson, with errors that name the line and column."""

from __future__ import annotations

import codecs
from typing import Any

import orjson

from souverain.errors import InputError, NotAnSbomError


def load_json(raw: bytes, path: str) -> dict[str, Any]:
    """Parse ``raw`` (UTF-8, optionally with a BOM, or UTF-16/32 with a BOM) into a dict.

    Raises InputError naming the line and column of a syntax error, NotAnSbomError when the
    document is valid JSON but not an object.
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-16 text ({exc.reason})") from None
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(
            path, f"invalid JSON: {exc.msg}", location=f"line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(doc, dict):
        raise NotAnSbomError(path, f"the JSON document is a {type(doc).__name__}, not an object")
    return doc
