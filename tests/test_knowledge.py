"""The knowledge base: loading and validation (every problem names file and entry), lookups,
ownership chains, jurisdictions; rule tests on the fixture KB, invariants on the shipped data."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.errors import KnowledgeBaseError
from souverain.knowledge import (
    KnowledgeBase,
    Organisation,
    data_dir,
    describe_organisation,
    describe_service,
    kb_lookup,
    load,
    load_default,
    normalise_name,
    validate_file,
)
from souverain.model import ControllerKind

KB_DIR = Path(__file__).parent / "fixtures" / "kb"
INVALID = KB_DIR / "invalid"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load([KB_DIR / "orgs.toml", KB_DIR / "services.toml"], include_default=False)


# -- the shipped data -------------------------------------------------------------------------


def test_data_dir_is_the_checkout_data_directory() -> None:
    root = data_dir()
    assert (root / "jurisdictions.toml").is_file()


def test_shipped_kb_loads_and_validates() -> None:
    base = load_default()
    assert base is load_default()  # cached
    assert base.stats()["regimes"] >= 1
    assert base.stats()["blocs"] >= 2


def test_shipped_parents_and_operators_exist() -> None:
    base = load_default()
    for org in base.organisations.values():
        if org.parent is not None:
            assert base.organisation(org.parent) is not None, org.origin
        chain = base.chain(org.id)
        assert chain[0] is org
        assert chain[-1].parent is None
    for svc in base.services.values():
        assert base.organisation(svc.operator) is not None, svc.origin


def test_shipped_unchecked_entries_are_flagged_and_every_entry_has_a_source() -> None:
    for org in load_default().organisations.values():
        assert org.source.startswith(("https://", "http://"))
        assert org.as_of
        assert org.origin.endswith("#" + org.id)


def test_shipped_files_validate_one_by_one() -> None:
    root = data_dir()
    for node in (root / "organisations").iterdir():
        if node.name.endswith(".toml"):
            assert validate_file(Path(str(node))) == [], node.name


def test_iso_list_and_eu_bloc() -> None:
    doc = tomllib.loads((Path(str(data_dir())) / "jurisdictions.toml").read_text(encoding="utf-8"))
    codes = doc["iso3166"]["codes"]
    assert len(codes) == len(set(codes)) == 249
    base = load_default()
    eu = base.expand(["EU"])
    assert len(eu) == 27
    assert "GB" not in eu
    assert base.expand(["EEA"]) == eu | {"IS", "LI", "NO"}
    assert base.expand(["eu", "CH"]) == eu | {"CH"}
    assert base.expand(["FR"]) == {"FR"}
    assert base.blocs_of("FR") == ("EEA", "EU")
    assert base.blocs_of("US") == ("FIVE_EYES",)
    assert str(base.regimes("US")[0]) == "US CLOUD Act (2018)"
    assert base.regimes("FR") == ()


def test_expand_rejects_unknown_codes() -> None:
    with pytest.raises(ValueError, match="'XX'"):
        load_default().expand(["EU", "XX"])
    with pytest.raises(ValueError, match="EUROPE"):
        load_default().expand(["EUROPE"])


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ("organisation id=acme", "bad kind 'corporation'"),
        ("organisation id=globex", "bad country code 'XX'"),
        ("organisation id=initech", "'as_of' must be an ISO date"),
        ("organisation id=umbrella", "parent 'nonexistent-parent' does not exist"),
        ("organisation id=hooli", "unknown key 'headquarters'"),
        ("organisation id=massive", "missing required key 'name'"),
        ("organisation id=soylent", "'gmail.com' is a generic hosting or mail domain"),
    ],
)
def test_each_problem_names_file_and_entry(entry: str, fragment: str) -> None:
    path = INVALID / "bad_entries.toml"
    problems = validate_file(path)
    assert any(p.startswith(f"{path}: {entry}: ") and fragment in p for p in problems), problems


def test_all_problems_are_collected_at_once() -> None:
    assert len(validate_file(INVALID / "bad_entries.toml")) == 7


def test_load_raises_knowledge_base_error_with_every_message() -> None:
    path = INVALID / "bad_entries.toml"
    with pytest.raises(KnowledgeBaseError) as info:
        load([path], include_default=False)
    err = info.value
    assert err.path == str(path)
    assert err.location is not None
    assert err.location.startswith("organisation id=")
    assert len(err.messages) == 7
    assert str(path) in err.diagnostics()


def test_parent_cycle_is_reported() -> None:
    problems = validate_file(INVALID / "cycle.toml")
    assert any("parent cycle: alpha → beta → alpha" in p for p in problems), problems


def test_duplicate_ids_and_identifier_conflicts_are_reported() -> None:
    problems = validate_file(INVALID / "duplicates.toml")
    assert any("organisation id=one: duplicate id" in p for p in problems), problems
    assert any(
        "organisation id=two: identifier npm '@shared' is also claimed by organisation id=one" in p
        for p in problems
    ), problems


def test_toml_syntax_error_names_file_and_line() -> None:
    (problem,) = validate_file(INVALID / "syntax.toml")
    assert str(INVALID / "syntax.toml") in problem
    assert "line 3" in problem


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    (problem,) = validate_file(tmp_path / "nope.toml")
    assert "cannot read" in problem


def test_user_file_may_reference_shipped_parents(tmp_path: Path) -> None:
    parent = next(iter(load_default().organisations))
    path = tmp_path / "mine.toml"
    path.write_text(
        f"""[[organisation]]
id = "my-subsidiary"
name = "My Subsidiary SARL"
kind = "company"
country = "FR"
parent = "{parent}"
source = "https://example.org/mine"
as_of = 2026-11-28
checked = true
""",
        encoding="utf-8",
    )
    assert validate_file(path) == []
    base = load([path])
    assert [o.id for o in base.chain("my-subsidiary")][:2] == ["my-subsidiary", parent]


def test_service_with_unknown_operator_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "svc.toml"
    path.write_text('[[service]]\nid = "x"\nname = "X"\noperator = "nobody-at-all"\n', encoding="utf-8")
    problems = validate_file(path)
    assert any("service id=x: operator 'nobody-at-all' does not exist" in p for p in problems), problems


def test_user_extension_replaces_by_id_and_extends(kb: KnowledgeBase) -> None:
    merged = load([KB_DIR / "orgs.toml", KB_DIR / "user_extension.toml"], include_default=False)
    ovh = merged.organisation("ovh")
    assert ovh is not None
    assert ovh.note == "replaced by the user"
    # the replaced entry's old identifiers are gone with it
    assert merged.match_package("pypi", None, "ovh") is None
    assert kb.match_package("pypi", None, "ovh") is not None
    assert [o.id for o in merged.chain("contoso")] == ["contoso", "microsoft"]
    hit = merged.match_package("npm", "@contoso", "widgets")
    assert hit is not None
    assert hit[0].id == "contoso"


# -- ownership --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("org", "ultimate", "country"),
    [
        ("github", "microsoft", "US"),
        ("redhat", "ibm", "US"),
        ("vmware", "broadcom", "US"),
        ("mysql", "oracle", "US"),
    ],
)
def test_ultimate_owner_through_parents(kb: KnowledgeBase, org: str, ultimate: str, country: str) -> None:
    assert kb.ultimate(org).id == ultimate
    assert kb.ultimate(org).country == country
    assert [o.id for o in kb.chain(org)] == [org, ultimate]


def test_mysql_seat_differs_from_its_owners(kb: KnowledgeBase) -> None:
    mysql = kb.organisation("mysql")
    assert mysql is not None
    assert mysql.country == "SE"
    assert kb.ultimate("mysql").country == "US"


def test_chain_is_cycle_safe_and_unknown_ids() -> None:
    def org(oid: str, parent: str) -> Organisation:
        return Organisation(
            oid,
            oid,
            (),
            ControllerKind.COMPANY,
            "FR",
            parent,
            "https://x",
            "2026-01-01",
            True,
            {},
            "t#" + oid,
        )

    base = KnowledgeBase([org("a", "b"), org("b", "a")])
    assert [o.id for o in base.chain("a")] == ["a", "b"]
    assert base.chain("zzz") == ()
    with pytest.raises(KeyError):
        base.ultimate("zzz")


# -- lookups ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Microsoft Corporation", "microsoft"),
        ("microsoft corp.", "microsoft"),
        ("MICROSOFT", "microsoft"),
        ("Red Hat, Inc.", "redhat"),
        ("Red Hat Inc", "redhat"),
        ("Apache Software Foundation", "apache"),
        ("The Apache Software Foundation", "apache"),
        ("OVH Groupe S.A.", "ovh"),
        ("Microsoft Azure Team", None),
        ("Microsoftx", None),
        ("John Doe (Microsoft)", None),
        ("", None),
    ],
)
def test_match_name_is_exact_after_normalisation(kb: KnowledgeBase, text: str, expected: str | None) -> None:
    found = kb.match_name(text)
    assert (found.id if found else None) == expected


def test_normalise_name_strips_suffixes_but_not_everything() -> None:
    assert normalise_name("SAP SE") == "sap"
    assert (
        normalise_name("Acme GmbH & Co. KG") == "acme gmbh co"
        or normalise_name("Acme GmbH & Co. KG") == "acme"
    )
    assert normalise_name("AG") == "ag"
    assert normalise_name("Société Générale S.A.S.") == "societe generale"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("john@microsoft.com", "microsoft"),
        ("Jane <jane@docs.microsoft.com>", "microsoft"),
        ("https://www.ibm.com/products", "ibm"),
        ("http://developer.oracle.com:8080/x", "oracle"),
        ("redhat.com", "redhat"),
        ("someone@gmail.com", None),
        ("https://microsoft.github.io/x", None),
        ("https://notmicrosoft.com", None),
        ("", None),
    ],
)
def test_match_domain_suffix_on_labels(kb: KnowledgeBase, text: str, expected: str | None) -> None:
    found = kb.match_domain(text)
    assert (found.id if found else None) == expected


def test_match_forge_is_case_insensitive_and_host_specific(kb: KnowledgeBase) -> None:
    azure = kb.match_forge("github.com", "azure")
    assert azure is not None
    assert azure.id == "microsoft"
    assert kb.match_forge("gitlab.com", "Azure") is None
    assert kb.match_forge("github.com", "some-person") is None


@pytest.mark.parametrize(
    ("eco", "ns", "name", "expected", "identifier"),
    [
        ("maven", "com.microsoft", "x", "microsoft", "Maven groupId prefix com.microsoft"),
        ("maven", "com.microsoft.sqlserver", "mssql-jdbc", "microsoft", "Maven groupId prefix com.microsoft"),
        ("maven", "com.microsoftx", "x", None, None),
        ("maven", "org.apache.commons", "commons-lang3", "apache", "Maven groupId prefix org.apache"),
        ("npm", "@azure", "identity", "microsoft", "npm scope @azure"),
        ("npm", "%40azure", "identity", None, None),
        ("npm", "azure", "identity", "microsoft", "npm scope @azure"),
        ("npm", "@azure-tools", "x", None, None),
        ("npm", None, "aws-sdk", "amazon", "npm package name aws-sdk"),
        ("npm", None, "aws-sdk-mock", None, None),
        ("pypi", None, "Google_Cloud.Storage", "google", "pypi name pattern google-cloud-*"),
        ("pypi", None, "google", None, None),
        ("golang", "github.com/aws", "aws-sdk-go", "amazon", "Go module path github.com/aws/…"),
        ("golang", "google.golang.org", "grpc", "google", "Go module path prefix google.golang.org"),
        ("golang", "github.com/someone", "lib", None, None),
        ("swift", "github.com/aws", "aws-sdk-swift", "amazon", "Swift package path github.com/aws/…"),
        ("swift", "GitHub.com/AWS/", "aws-sdk-swift", "amazon", "Swift package path github.com/AWS/…"),
        ("swift", "github.com/someone", "lib", None, None),
        ("swift", "gitlab.com/aws", "aws-sdk-swift", None, None),  # the owner's account on another forge
        ("swift", None, "aws-sdk-swift", None, None),  # no namespace: a name says nothing
        ("swift", "aws", "aws-sdk-swift", None, None),  # no host
        ("nuget", None, "Azure.Storage.Blobs", "microsoft", "nuget name pattern azure.*"),
        ("generic", None, "oracle-instantclient", "oracle", "generic name pattern oracle-*"),
        ("rpm", "redhat", "openssl", "redhat", "rpm namespace redhat"),
        ("github", "quarkusio", "quarkus", "redhat", "github owner quarkusio"),
        ("cargo", None, "serde", None, None),
    ],
)
def test_match_package_per_ecosystem(
    kb: KnowledgeBase, eco: str, ns: str | None, name: str, expected: str | None, identifier: str | None
) -> None:
    hit = kb.match_package(eco, ns, name)
    if expected is None:
        assert hit is None
    else:
        assert hit is not None
        assert hit[0].id == expected
        assert hit[1] == identifier


def test_most_specific_glob_wins() -> None:
    def org(oid: str, pypi: list[str]) -> Organisation:
        return Organisation(
            oid,
            oid,
            (),
            ControllerKind.COMPANY,
            "FR",
            None,
            "https://x",
            "2026-01-01",
            True,
            {"pypi": tuple(pypi)},
            "t",
        )

    base = KnowledgeBase([org("broad", ["acme-*"]), org("narrow", ["acme-cloud-*"])])
    narrow = base.match_package("pypi", None, "acme-cloud-storage")
    broad = base.match_package("pypi", None, "acme-tools")
    assert narrow is not None
    assert narrow[0].id == "narrow"
    assert broad is not None
    assert broad[0].id == "broad"


def test_match_service(kb: KnowledgeBase) -> None:
    hit = kb.match_service("pypi", None, "boto3")
    assert hit is not None
    assert hit[0].id == "aws"
    assert kb.match_service("pypi", None, "flask") is None
    endpoint = kb.match_service_domain("https://s3.eu-west-3.amazonaws.com/bucket")
    assert endpoint is not None
    assert endpoint[1].id == "aws"


def test_stats_counts(kb: KnowledgeBase) -> None:
    stats = kb.stats()
    assert stats["organisations"] == 16
    assert stats["services"] == 3
    assert stats["unchecked"] == 1
    assert stats["kind:community"] == 2
    assert stats["with_parent"] == 4


# -- CLI helpers ------------------------------------------------------------------------------


def test_kb_lookup_by_id_name_domain_purl(kb: KnowledgeBase) -> None:
    assert [o.id for o in kb_lookup(kb, "github")] == ["github"]
    assert [o.id for o in kb_lookup(kb, "Red Hat")] == ["redhat"]
    assert [o.id for o in kb_lookup(kb, "docs.microsoft.com")] == ["microsoft"]
    assert [o.id for o in kb_lookup(kb, "pkg:npm/%40azure/storage-blob@12")] == ["microsoft"]
    assert [o.id for o in kb_lookup(kb, "pkg:pypi/boto3@1.0")] == ["amazon"]
    assert kb_lookup(kb, "pkg:not a purl") == []
    assert kb_lookup(kb, "nobody") == []


def test_describe_organisation_shows_chain_country_regimes(kb: KnowledgeBase) -> None:
    github = kb.organisation("github")
    assert github is not None
    text = "\n".join(describe_organisation(kb, github))
    assert "owned by: Microsoft Corporation [microsoft]" in text
    assert "ultimate owner: Microsoft Corporation, US" in text
    assert "US CLOUD Act (2018)" in text
    assert github.origin in text
    sap = kb.organisation("sap")
    assert sap is not None
    assert "NOT checked" in "\n".join(describe_organisation(kb, sap))


def test_describe_service_lists_qualifications(kb: KnowledgeBase) -> None:
    text = "\n".join(describe_service(kb, kb.services["ovhcloud"]))
    assert "SecNumCloud" in text
    assert "FR" in text


# -- properties -------------------------------------------------------------------------------

_HOSTS = st.from_regex(r"[a-z0-9-]{1,8}(\.[a-z0-9-]{1,8}){0,2}\.(com|org|io|net|fr)", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(host=_HOSTS, user=st.from_regex(r"[a-z0-9._]{1,10}", fullmatch=True))
def test_domain_match_is_always_a_label_suffix_of_a_kb_domain(host: str, user: str) -> None:
    """Whatever the host, a match means the host is a KB domain or a subdomain of one (never a
    substring match such as notmicrosoft.com)."""
    base = load_default()
    for text in (host, f"{user}@{host}", f"https://{host}/x"):
        org = base.match_domain(text)
        if org is not None:
            domains = org.identifiers.get("domains", ())
            assert any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_every_name_and_alias_matches_its_organisation_in_any_case(data: st.DataObject) -> None:
    base = load_default()
    org = data.draw(st.sampled_from(sorted(base.organisations.values(), key=lambda o: o.id)))
    name = data.draw(st.sampled_from((org.name, *org.aliases)))
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    mixed = "".join(c.upper() if f else c.lower() for c, f in zip(name, flips, strict=True))
    found = base.match_name(f"  {mixed} ")
    assert found is not None
    assert found.id == org.id


def test_user_bloc_with_bad_member_names_the_user_file(tmp_path: Path) -> None:
    path = tmp_path / "blocs.toml"
    path.write_text(
        '[blocs.NORDIC]\nname = "Nordic"\nmembers = ["DK", "FI", "IS", "NO", "SE", "XZ"]\n'
        'source = "https://example.org/nordic"\nas_of = "2026-11-28"\n',
        encoding="utf-8",
    )
    (problem,) = validate_file(path)
    assert problem == f"{path}: bloc NORDIC: bad member codes: XZ"


def test_user_bloc_expands(tmp_path: Path) -> None:
    path = tmp_path / "blocs.toml"
    path.write_text(
        '[blocs.NORDIC]\nname = "Nordic"\nmembers = ["DK", "FI", "IS", "NO", "SE"]\n'
        'source = "https://example.org/nordic"\nas_of = "2026-11-28"\n',
        encoding="utf-8",
    )
    base = load([path])
    assert base.expand(["NORDIC"]) == {"DK", "FI", "IS", "NO", "SE"}
    assert "NORDIC" in base.blocs_of("IS")


_URL_PARTS = st.sampled_from(
    [
        "https",
        "git+https",
        "HTTP",
        "h1",
        "://",
        "//",
        "@",
        ":8080",
        "[::1]",
        "github.com",
        "Www.Example.ORG",
        "/x",
        "?q",
        "#f",
        "%25",
        "é",
        "\t",
        " ",
        "user:pw@",
        ".",
        "-",
        "_",
        "a",
    ]
)


@settings(max_examples=500, deadline=None)
@given(
    parts=st.lists(_URL_PARTS, min_size=1, max_size=8), scheme=st.sampled_from(["https://", "git+ssh://", ""])
)
def test_plain_url_fast_path_reads_the_same_host_as_urlsplit(parts: list[str], scheme: str) -> None:
    """host_of reads plain ``scheme://host/…`` URLs with a string split: it must give exactly what
    ``urllib.parse.urlsplit(…).hostname`` gives, and leave every other URL to urlsplit."""
    from urllib.parse import urlsplit

    from souverain.knowledge.index import _plain_url_host

    text = scheme + "".join(parts)
    fast = _plain_url_host(text)
    if fast is not None:
        assert fast == urlsplit(text).hostname


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("https://GitHub.com/Azure/azure-sdk", "github.com"),
        ("git+https://www.gitlab.com/group/repo.git", "gitlab.com"),
        ("https://user:pw@Example.org:8443/x", "example.org"),  # userinfo and port: urlsplit
        ("http://[::1]/x", None),  # an IPv6 literal has no dot-separated domain
        ("http://[::1/x", None),  # invalid bracketed host: urlsplit raises, no host
        ("https://bücher.example/x", "bücher.example"),  # non-ASCII: urlsplit
        ("dev@lists.example.com", "lists.example.com"),
        ("example.com/path", "example.com"),
    ],
)
def test_host_of_plain_and_unusual_urls(text: str, host: str | None) -> None:
    from souverain.knowledge import host_of

    assert host_of(text) == host


@given(name=st.text(alphabet="aZ09-_.é", max_size=12))
def test_pypi_key_is_pep503_normalisation(name: str) -> None:
    """The package lookup skips the regular expression when nothing needs collapsing: same key."""
    from souverain.knowledge.index import _pypi_key
    from souverain.knowledge.schema import normalise_pypi

    assert _pypi_key(name) == normalise_pypi(name)


def test_package_lookup_skips_types_an_index_has_no_table_for() -> None:
    """The service index holds no deb/rpm/apk clients: those lookups answer None at once, while
    the types it does hold, and the organisation index's, still match."""
    base = load_default()
    assert base.match_service_detail("deb", "debian", "openssl") is None
    assert base.match_service_detail("rpm", "redhat", "openssl") is None
    boto3 = base.match_service_detail("pypi", None, "boto3")
    assert boto3 is not None
    assert boto3.target.id == "aws"
    debian = base.match_package_detail("deb", "debian", "openssl")
    assert debian is not None
    assert debian.identifier == "deb namespace debian"
    azure = base.match_package_detail("golang", "github.com/Azure", "azure-sdk-for-go")
    assert azure is not None
    assert azure.target.id == "microsoft"
    # one shared Match per knowledge-base entry
    assert base.match_package_detail("deb", "debian", "bash") is debian


@settings(max_examples=500, deadline=None)
@given(
    parts=st.lists(st.one_of(_URL_PARTS, st.sampled_from(["/", "<", ">", "+", ":", "git@"])), max_size=10),
    scheme=st.sampled_from(["https://", "git+ssh://", " <http://", ""]),
)
def test_host_key_keeps_the_host(parts: list[str], scheme: str) -> None:
    """host_key cuts a URL after its netloc to share one host_of per host: the cut must not change
    the host, whatever the text around it."""
    from souverain.knowledge.index import host_key, host_of

    text = scheme + "".join(parts)
    key = host_key(text)
    assert text.startswith(key)
    assert host_of(key) == host_of(text)


def test_host_key_is_scheme_and_netloc() -> None:
    from souverain.knowledge.index import host_key

    assert host_key("https://github.com/Azure/azure-sdk") == "https://github.com"
    assert host_key("git+https://git.example.org/a/b.git") == "git+https://git.example.org"
    assert host_key("https://example.org") == "https://example.org"  # no path: the whole text
    assert host_key("https://example.org >/x") == "https://example.org >/x"  # stripped end: whole text
    assert host_key("git@github.com:owner/repo") == "git@github.com:owner/repo"  # not scheme://


@pytest.mark.parametrize(
    ("purl_type", "namespace", "name", "org", "service"),
    [
        ("npm", None, "express", "npm package name express", None),
        ("npm", "@azure", "core-auth", "npm scope @azure", "npm scope @azure"),
        ("npm", "azure", "core-auth", "npm scope @azure", "npm scope @azure"),
        ("npm", "@unknown-scope", "express", None, None),
        ("npm", None, "tencentcloud-sdk-nodejs-cvm", *["npm name pattern tencentcloud-sdk-nodejs-*"] * 2),
        ("npm", None, "tencentcloud-sdk-nodej", None, None),  # shares the pattern's head only
        ("NPM", None, "express", "npm package name express", None),  # the type in any case
        ("maven", "com.azure", "azure-core", *["Maven groupId prefix com.azure"] * 2),
        ("maven", "com.azure.resourcemanager.x", "y", *["Maven groupId prefix com.azure"] * 2),
        ("maven", "/com.azure/", "azure-core", *["Maven groupId prefix com.azure"] * 2),
        ("Maven", "com.azure", "azure-core", *["Maven groupId prefix com.azure"] * 2),
        ("maven", "org.unknown", "core", None, None),
        ("pypi", None, "Azure_Storage.Blob", *["pypi name pattern azure-*"] * 2),
        (
            "golang",
            "github.com/Azure",
            "azure-sdk-for-go",
            "Go module path github.com/Azure/…",
            "Go module path prefix github.com/Azure/azure-sdk-for-go",
        ),
        ("golang", "github.com", "Azure", "Go module path github.com/Azure/…", None),
        ("golang", "k8s.io", "client-go", "Go module path prefix k8s.io", None),
        ("golang", None, "golang.org/x/net", "Go module path prefix golang.org/x", None),
        ("github", "Azure", "azure-sdk", "github owner Azure", None),
        ("github", "", "Azure", None, None),
        ("swift", "github.com/Azure", "azure-sdk-ios", "Swift package path github.com/Azure/…", None),
        ("swift", "github.com/someone", "Azure", None, None),
        ("deb", "debian", "openssl", "deb namespace debian", None),
        ("docker", "library/x", "nginx", None, None),
        ("nuget", None, "Microsoft.Extensions.Logging", "nuget name pattern microsoft.*", None),
        ("cargo", None, "aws-sdk-s3", *["cargo name pattern aws-sdk-*"] * 2),
        ("generic", None, "openssl", None, None),
        ("oci", None, "nginx", None, None),  # a type no table reads
        ("", None, "x", None, None),
    ],
)
def test_package_lookups_per_type(
    purl_type: str, namespace: str | None, name: str, org: str | None, service: str | None
) -> None:
    """The per-type lookups (what the matches answer, pinned from the single-function lookup they
    replaced) give the same shared Match as the methods, for both indexes, twice (the
    per-groupId and per-owner memos must answer as the first lookup did)."""
    base = load_default()
    for _ in range(2):
        found = base.package_lookups()[purl_type](namespace, name)
        assert found is base.match_package_detail(purl_type, namespace, name)
        assert (found and found.identifier) == org
        client = base.service_lookups()[purl_type](namespace, name)
        assert client is base.match_service_detail(purl_type, namespace, name)
        assert (client and client.identifier) == service
