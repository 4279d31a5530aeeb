"""The reporter registry is exhaustive, and write_reports writes where it is told, atomically."""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import stat
from pathlib import Path

import pytest

import souverain.report
from souverain.errors import InputError
from souverain.report import REPORTERS, get_reporter, report_filename, write_reports
from souverain.report.base import BytesReporter, RenderOptions

from tests.report_data import make_result

NOT_REPORTERS = {"base", "i18n"}


def _format_modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules(souverain.report.__path__)
        if m.name not in NOT_REPORTERS and not m.name.startswith("_")
    )


def test_every_format_module_is_registered() -> None:
    registered_modules = {type(r).__module__.rsplit(".", 1)[-1] for r in REPORTERS.values()}
    assert set(_format_modules()) == registered_modules


@pytest.mark.parametrize("module_name", _format_modules())
def test_each_module_exposes_its_registered_reporter(module_name: str) -> None:
    module = importlib.import_module(f"souverain.report.{module_name}")
    reporter = module.REPORTER
    assert REPORTERS[reporter.name] is reporter


def test_every_registered_name_has_a_reporter() -> None:
    assert sorted(REPORTERS) == ["cyclonedx", "html", "json", "markdown", "sarif", "terminal"]
    for name, reporter in REPORTERS.items():
        assert reporter.name == name
        assert callable(reporter.render)
        assert get_reporter(name) is reporter
    suffixes = [r.suffix for r in REPORTERS.values()]
    assert len(set(suffixes)) == len(suffixes), "two formats would write the same file"


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown report format .pdf.*json"):
        get_reporter("pdf")


def test_without_output_writes_to_stdout() -> None:
    out = io.StringIO()
    written = write_reports(make_result(), ["json"], None, out, RenderOptions(reproducible=True))
    assert written == []
    assert json.loads(out.getvalue())["schema_version"] == "1"


@pytest.mark.parametrize("name", sorted(n for n, r in REPORTERS.items() if isinstance(r, BytesReporter)))
def test_bytes_rendering_is_the_text_rendering_encoded(name: str) -> None:
    result = make_result()
    options = RenderOptions(reproducible=True)
    text = io.StringIO()
    REPORTERS[name].render(result, text, options)
    reporter = REPORTERS[name]
    assert isinstance(reporter, BytesReporter)
    assert reporter.render_bytes(result, options) == text.getvalue().encode("utf-8")


def test_stdout_with_a_byte_buffer_keeps_the_order_of_text_and_reports() -> None:
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    stdout.write("before é\n")  # text still in the wrapper's buffer must come out first
    write_reports(make_result(), ["json", "markdown"], None, stdout, RenderOptions(reproducible=True))
    stdout.flush()
    head, _, rest = raw.getvalue().decode("utf-8").partition("\n")
    assert head == "before é"
    decoder = json.JSONDecoder()
    doc, end = decoder.raw_decode(rest)
    assert doc["schema_version"] == "1"
    assert rest[end:].lstrip().startswith("#"), "the markdown report follows the JSON one"


def test_directory_gets_one_file_per_format(tmp_path: Path) -> None:
    target = tmp_path / "reports"
    written = write_reports(
        make_result(), ["json", "markdown", "sarif"], target, io.StringIO(), RenderOptions()
    )
    assert [p.name for p in written] == [
        "souverain-report.json",
        "souverain-report.md",
        "souverain-report.sarif",
    ]
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in written)
    assert json.loads((target / "souverain-report.sarif").read_text())["version"] == "2.1.0"
    mode = stat.S_IMODE((target / "souverain-report.json").stat().st_mode)
    assert mode & stat.S_IRGRP, "a report is not a secret: it must not keep mkstemp's 0600"


def test_existing_directory_with_one_format(tmp_path: Path) -> None:
    written = write_reports(make_result(), ["html"], tmp_path, io.StringIO(), RenderOptions())
    assert written == [tmp_path / report_filename("html")]
    assert written[0].read_text().startswith("<!DOCTYPE html>")


def test_single_format_to_a_file_replaces_it(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")
    target.chmod(0o640)
    written = write_reports(make_result(), ["markdown"], target, io.StringIO(), RenderOptions())
    assert written == [target]
    assert target.read_text().startswith("## ")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"], "no temporary file left behind"


@pytest.mark.parametrize(("failing", "method"), [("sarif", "render_bytes"), ("markdown", "render")])
def test_a_failing_reporter_leaves_existing_files_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, method: str
) -> None:
    (tmp_path / "souverain-report.json").write_text("previous")

    def boom(*_: object) -> None:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(REPORTERS[failing], method, boom)
    with pytest.raises(RuntimeError, match="renderer failed"):
        write_reports(make_result(), ["json", failing], tmp_path, io.StringIO(), RenderOptions())
    assert (tmp_path / "souverain-report.json").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["souverain-report.json"]


def test_unwritable_target_is_an_input_error_naming_it(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write the report") as info:
        write_reports(make_result(), ["json", "markdown"], blocker / "sub", io.StringIO(), RenderOptions())
    assert str(blocker / "sub") in info.value.diagnostics()


def test_unknown_format_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        write_reports(make_result(), ["json", "nope"], tmp_path, io.StringIO(), RenderOptions())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_reproducible_mode_drops_the_timestamp_in_every_format(name: str) -> None:
    live = make_result(reproducible=False)
    assert live.generated_at is not None
    first = io.StringIO()
    second = io.StringIO()
    REPORTERS[name].render(live, first, RenderOptions(reproducible=True))
    REPORTERS[name].render(live, second, RenderOptions(reproducible=True))
    assert first.getvalue() == second.getvalue()
    assert live.generated_at[:16] not in first.getvalue()
