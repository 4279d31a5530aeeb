"""The knowledge base: who controls what, where, under which laws; the only reader of ``data/``.

The shipped data lives in ``data/`` (``organisations/*.toml``, ``services.toml``,
``jurisdictions.toml``); its format is documented in docs/knowledge-base.md. :func:`load_default`
reads and validates it once per process; :func:`load` merges user extension files over it (an
entry with the same id replaces the shipped one); :func:`validate_file` lists every problem of a
user file for ``souverain kb validate``. An invalid file raises
:class:`~souverain.errors.KnowledgeBaseError` naming the file and the entry.
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from collections.abc import Iterable, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path

from souverain.errors import KnowledgeBaseError
from souverain.knowledge.describe import describe_organisation, describe_service, kb_lookup
from souverain.knowledge.index import KnowledgeBase, Match, forge_owner, host_of
from souverain.knowledge.schema import (
    Bloc,
    Document,
    Organisation,
    Problem,
    Qualification,
    Regime,
    Service,
    check_entries,
    normalise_name,
    parse_document,
)

__all__ = [
    "Bloc",
    "KnowledgeBase",
    "Match",
    "Organisation",
    "Problem",
    "Qualification",
    "Regime",
    "Service",
    "data_dir",
    "describe_organisation",
    "describe_service",
    "forge_owner",
    "host_of",
    "kb_lookup",
    "load",
    "load_default",
    "normalise_name",
    "validate_file",
]


def data_dir() -> Traversable | Path:
    """Where the shipped data is: ``souverain/data`` inside an installed wheel, else the ``data/``
    directory of the source checkout."""
    packaged = importlib.resources.files("souverain") / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data"


def _read(node: Traversable | Path, name: str) -> Document:
    """Parse one file; a TOML syntax error becomes a problem naming the file."""
    try:
        doc = tomllib.loads(node.read_bytes().decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        out = Document(name)
        out.problems.append(Problem(name, "", f"not valid TOML: {exc}"))
        return out
    return parse_document(doc, name)


@functools.cache
def _shipped_documents() -> tuple[Document, ...]:
    """The shipped files, parsed once per process (treated as read-only)."""
    root = data_dir()
    docs: list[Document] = []
    orgs = root / "organisations"
    if orgs.is_dir():
        nodes = sorted(orgs.iterdir(), key=lambda n: n.name)
        docs.extend(_read(n, f"organisations/{n.name}") for n in nodes if n.name.endswith(".toml"))
    for name in ("services.toml", "jurisdictions.toml"):
        node = root / name
        if node.is_file():
            docs.append(_read(node, name))
    return tuple(docs)


def _user_documents(paths: Iterable[Path]) -> list[Document]:
    docs: list[Document] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            doc = Document(str(path))
            doc.problems.append(Problem(str(path), "", f"cannot read: {exc.strerror or exc}"))
            docs.append(doc)
            continue
        try:
            parsed = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            doc = Document(str(path))
            doc.problems.append(Problem(str(path), "", f"not valid TOML: {exc}"))
            docs.append(doc)
            continue
        docs.append(parse_document(parsed, str(path)))
    return docs


def _merge(
    shipped: Sequence[Document], user: Sequence[Document]
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Merge documents (a user file replaces entries of earlier files with the same id) and check
    the result."""
    problems = [p for d in (*shipped, *user) for p in d.problems]
    iso: frozenset[str] = frozenset()
    for d in (*shipped, *user):
        if d.iso_codes is not None:
            iso = iso | d.iso_codes
    orgs: dict[str, Organisation] = {}
    svc_list: dict[str, Service] = {}
    blocs: dict[str, Bloc] = {}
    regimes: list[Regime] = []
    for group, per_file in ((shipped, False), (user, True)):
        # Shipped ids are unique across all files; a user file may replace an entry of an earlier
        # file (shipped or user) but must not define the same id twice itself.
        seen_here: dict[str, str] = {}
        for d in group:
            if per_file:
                seen_here = {}
            for org in d.organisations:
                if org.id in seen_here:
                    problems.append(
                        Problem(
                            d.file, f"organisation id={org.id}", f"duplicate id (also in {seen_here[org.id]})"
                        )
                    )
                    continue
                seen_here[org.id] = d.file
                orgs[org.id] = org
            for svc in d.services:
                key = "service:" + svc.id
                if key in seen_here:
                    problems.append(
                        Problem(d.file, f"service id={svc.id}", f"duplicate id (also in {seen_here[key]})")
                    )
                    continue
                seen_here[key] = d.file
                svc_list[svc.id] = svc
            for bloc in d.blocs:
                blocs[bloc.code] = bloc
            regimes.extend(d.regimes)
    problems.extend(
        check_entries(list(orgs.values()), list(svc_list.values()), list(blocs.values()), regimes, iso)
    )
    if problems:
        return None, problems
    return KnowledgeBase(list(orgs.values()), list(svc_list.values()), list(blocs.values()), regimes, iso), []


def _raise(problems: Sequence[Problem]) -> None:
    first = problems[0]
    raise KnowledgeBaseError(
        first.file,
        f"invalid knowledge base: {len(problems)} problem(s)",
        location=first.entry or None,
        messages=[str(p) for p in problems],
    )


@functools.cache
def load_default() -> KnowledgeBase:
    """The shipped knowledge base, validated; read once per process."""
    kb, problems = _merge(_shipped_documents(), ())
    if kb is None:
        _raise(problems)
    assert kb is not None
    return kb


def load(paths: Sequence[Path] = (), *, include_default: bool = True) -> KnowledgeBase:
    """The shipped knowledge base (unless ``include_default`` is False) with user extension files
    merged over it, in order. Raises KnowledgeBaseError listing every problem."""
    if include_default and not paths:
        return load_default()
    shipped = _shipped_documents()
    if not include_default:
        # Keep the country list and blocs so that user files can still be checked and expanded.
        shipped = tuple(d for d in shipped if d.file == "jurisdictions.toml")
    kb, problems = _merge(shipped, _user_documents(paths))
    if kb is None:
        _raise(problems)
    assert kb is not None
    return kb


def validate_file(path: Path) -> list[str]:
    """Every problem of one user extension file checked against the shipped knowledge base
    (parents and operators may refer to shipped entries), each naming the file and the entry;
    ``[]`` when the file is valid."""
    shipped = _shipped_documents()
    _, problems = _merge(shipped, _user_documents([path]))
    name = str(path)
    return [str(p) for p in problems if p.file == name]
