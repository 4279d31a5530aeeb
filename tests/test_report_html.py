"""The self-contained HTML page: every value escaped, data passed safely to the script, strict CSP,
and — in a real headless Chromium — the table and graph render while no payload runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from souverain.model import Component, EdgeKind, Finding, Severity
from souverain.report.html import GRAPH_CAP, csp_hash, risk_subgraph, script_json

from tests.report_data import HOSTILE_NAME, HOSTILE_VERSION, assert_snapshot, make_result, render


class _Collector(HTMLParser):
    """Collects start tags with their attributes, and inline script/style bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._in: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = (tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is None:
            return
        if self._in[0] == "script":
            self.scripts.append((self._in[1], data))
        else:
            self.styles.append(data)


def _parse(page: str) -> _Collector:
    c = _Collector()
    c.feed(page)
    return c


@pytest.fixture(scope="module")
def page() -> str:
    return render("html")


def test_hostile_values_never_become_markup(page: str) -> None:
    parsed = _parse(page)
    tag_names = {t for t, _ in parsed.tags}
    assert "img" not in tag_names
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    # exactly two scripts: the JSON data block and our own code
    assert [a.get("type") for a, _ in parsed.scripts] == ["application/json", None]
    assert HOSTILE_NAME not in page  # only in escaped form
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("</script>") == 2
    assert "<b>Evil</b>" not in page


def test_data_block_is_json_with_no_raw_angle_brackets(page: str) -> None:
    parsed = _parse(page)
    data_text = next(body for attrs, body in parsed.scripts if attrs.get("type") == "application/json")
    assert not re.search("[<>&\u2028\u2029]", data_text)
    data = json.loads(data_text)
    names = [row[0] for row in data["rows"]]
    assert HOSTILE_NAME in names
    assert HOSTILE_VERSION in [row[1] for row in data["rows"]]
    assert len(data["rows"]) == 15


def test_script_json_escapes_everything_that_could_end_the_element() -> None:
    text = script_json({"k": "</script><!-- & \u2028\u2029"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"k": "</script><!-- & \u2028\u2029"}


def test_content_security_policy_allows_only_our_inline_code(page: str) -> None:
    parsed = _parse(page)
    csp = next(
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    code = next(body for attrs, body in parsed.scripts if attrs.get("type") is None)
    assert f"script-src {csp_hash(code)}" in csp
    assert len(parsed.styles) == 1
    assert f"style-src {csp_hash(parsed.styles[0])}" in csp


def test_self_contained_nothing_fetched(page: str) -> None:
    parsed = _parse(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs or tag == "img", f"{tag} loads {attrs.get('src')}"
        assert tag != "link", "no external stylesheet or font"
        assert "style" not in attrs, "inline style attributes would be blocked by the CSP"
    assert "@import" not in page
    assert "url(" not in page


def test_content_for_a_buyer(page: str) -> None:
    assert "FAIL: 2 finding(s) at or above high" in page
    assert 'class="score">58<' in page
    assert "Exposure by country" in page
    assert "Exposure by vendor" in page
    assert "Negotiate contractual guarantees (escrow, perpetual licence, local entity)" in page
    assert "Maven group com.oracle → Oracle Corporation (US)" in page
    assert 'id="components"' in page
    assert 'id="graph"' in page
    assert "waived: Support contract with Elastic until 2027-06-30" in page


def test_french_page() -> None:
    fr = render("html", lang="fr")
    assert '<html lang="fr">' in fr
    assert "Exposition par pays" in fr
    assert "ÉCHEC" in fr


def test_risk_subgraph_holds_at_risk_components_and_their_paths() -> None:
    refs, edges, depth, truncated = risk_subgraph(make_result())
    assert refs[0] == "acme-portal"
    assert {"ojdbc", "aliyun-oss", "evil-lib", "left-pad-ng", "hostile-name"} <= set(refs)
    assert "elastic" in refs  # on the path to left-pad-ng (its own finding is waived)
    assert "guava" not in refs  # no finding, not on a path
    assert depth["evil-lib"] == 2
    assert depth["ojdbc"] == 1
    idx = {r: i for i, r in enumerate(refs)}
    assert (idx["hostile-name"], idx["evil-lib"]) in edges
    assert not truncated


def test_risk_subgraph_is_capped() -> None:
    r = make_result()
    extra = tuple(Component(ref=f"x{i}", name=f"x{i}") for i in range(GRAPH_CAP + 50))
    edges = tuple(("acme-portal", c.ref, EdgeKind.RUNTIME) for c in extra)
    findings = tuple(
        Finding(f"f{i}", "SOV006", "t", Severity.LOW, c.ref, 0.0, "m", (), "r") for i, c in enumerate(extra)
    )
    big = replace(
        r,
        components=r.components + extra,
        sbom=replace(r.sbom, edges=r.sbom.edges + edges),
        findings=r.findings + findings,
    )
    refs, _, _, truncated = risk_subgraph(big)
    assert len(refs) == GRAPH_CAP
    assert truncated
    assert "ojdbc" in refs  # the most severe first


def test_snapshot(page: str) -> None:
    assert_snapshot("report.html", page)
    assert_snapshot("report.fr.html", render("html", lang="fr"))


# ------------------------------------------------------------------------------------------------
# In a real browser
# ------------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _dump_dom(tmp_path: Path, page: str) -> str:
    """The DOM of ``page`` after its scripts ran in headless Chromium."""
    assert CHROMIUM is not None
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    profile = tmp_path / "profile"
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)")
def test_page_renders_in_headless_chromium_and_no_payload_runs(tmp_path: Path) -> None:
    dom = _dump_dom(tmp_path, render("html"))
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None
    assert 'data-rendered="graph"' in body.group(0), "the graph script did not finish"
    assert re.search(r'<table id="components" data-rows="15"', dom), "the table did not render 15 rows"
    nodes = re.search(r'<svg id="graph"[^>]*data-nodes="(\d+)"', dom)
    assert nodes is not None
    assert int(nodes.group(1)) == len(risk_subgraph(make_result())[0])
    assert dom.count('class="node ') == int(nodes.group(1))
    # no payload ran: the title is ours, no <img> was created, the alert() markers are only text
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title is not None
    assert title.group(1) == "Sovereignty audit — acme-portal"
    assert "<img" not in dom
    assert "pwned" not in (title.group(1))


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)")
def test_french_page_table_in_headless_chromium(tmp_path: Path) -> None:
    dom = _dump_dom(tmp_path, render("html", lang="fr")).replace("&nbsp;", "\u00a0")
    tbody = re.search(r'<table id="components"[^>]*>.*?<tbody>(.*?)</tbody>', dom, re.S)
    assert tbody is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", tbody.group(1))
    assert "propriétaire" in cells  # openness of ojdbc, in the report's language
    assert "étrangère" in cells  # jurisdiction
    assert "proprietary" not in cells
    assert "20\u00a0%" in cells  # share of ojdbc with French typography


def test_synthetic_root_and_flat_sbom() -> None:
    r = make_result()
    flat = replace(
        r,
        sbom=replace(r.sbom, root=None, edges=(), has_dependency_data=False),
        summary=replace(r.summary, flat=True, root=None),
    )
    refs, edges, depth, _ = risk_subgraph(flat)
    assert refs[0] == "souverain:root"
    assert all(depth[ref] == 1 for ref in refs[1:])
    assert all(src == 0 for src, _ in edges)
    page = render("html", flat)
    assert "The SBOM holds no dependency data" in page
