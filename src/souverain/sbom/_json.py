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
    elif raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00
        raw = _recoded(raw, "utf-32", path)
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raw = _recoded(raw, "utf-16", path)
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(
            path, f"invalid JSON: {exc.msg}", location=f"line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(doc, dict):
        raise NotAnSbomError(path, f"the JSON document is a {type(doc).__name__}, not an object")
    return doc


def _recoded(raw: bytes, encoding: str, path: str) -> bytes:
    """UTF-16 or UTF-32 text with its byte-order mark, as UTF-8 for orjson."""
    try:
        return raw.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"invalid {encoding.upper()} text ({exc.reason})") from None
