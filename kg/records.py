"""Plain frozen records passed between the layers.

Data flows ``ingest -> extract -> normalize -> graph``; each layer takes and
returns these records and nothing richer (no spaCy ``Doc``, no rdflib node),
so every layer can be tested and replaced on its own.

Examples
--------
>>> from kg.records import Paper
>>> p = Paper(id="p1", title="A title", abstract="An abstract.")
>>> p.text
'A title\\nAn abstract.'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ENTITY_TYPES",
    "RELATION_TYPES",
    "BadRecord",
    "CanonicalEntity",
    "EntityRecord",
    "Extraction",
    "Mention",
    "Paper",
    "RelationRecord",
    "ResultRecord",
]

#: The five entity types of ``GUIDELINES.md``, in display order.
ENTITY_TYPES: tuple[str, ...] = ("Method", "Task", "Dataset", "Hardware", "Metric")

#: Typed relations between two entities of one sentence: name -> (head type, tail type).
RELATION_TYPES: dict[str, tuple[str, str]] = {
    "evaluatedOn": ("Method", "Dataset"),
    "runsOnHardware": ("Method", "Hardware"),
    "usedFor": ("Method", "Task"),
    "measuredOn": ("Metric", "Dataset"),
    "comparedTo": ("Method", "Method"),
}


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as read from an input.

    ``date`` is ISO 8601 as far as the source knows it: ``YYYY``, ``YYYY-MM``,
    ``YYYY-MM-DD`` or ``--MM-DD`` (month and day of an unknown year).
    ``source`` is ``"path:line"`` of the record, for error reports.
    ``doi`` (lowercase, no ``https://doi.org/``), ``arxiv_id`` (no version),
    ``openalex_id`` (``W...``) and ``s2_id`` (Semantic Scholar's paperId) are
    the paper's identifiers at the services, when known; papers are
    de-duplicated by DOI, then arXiv id, then normalised title.
    """

    id: str
    title: str
    abstract: str
    date: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    organization: str | None = None
    venue: str | None = None
    url: str | None = None
    upvotes: int | None = None
    source: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    openalex_id: str | None = None
    s2_id: str | None = None

    @property
    def text(self) -> str:
        """Title and abstract as one text: the title, a newline, the abstract."""
        return f"{self.title}\n{self.abstract}" if self.title else self.abstract


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record that could not be read, with where it was and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity.

    ``start``/``end`` are character offsets into :attr:`Paper.text` (title,
    newline, abstract), end exclusive; ``sentence`` is the sentence holding it;
    ``source`` names the evidence that found it ("ner", "kb", "ner+kb", ...).
    """

    text: str
    start: int
    end: int
    sentence: str
    confidence: float = 1.0
    source: str = ""


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """One entity of one paper: all its mentions merged.

    ``key`` is the merge key; extraction sets a paper-local key and
    :mod:`kg.normalize` replaces it with the corpus-wide canonical key.
    ``attributes`` holds typed details as ``(name, value)`` pairs, such as
    ``("count", "8")`` for "8xA100 GPUs".
    """

    type: str
    name: str
    mentions: tuple[Mention, ...]
    aliases: tuple[str, ...] = ()
    confidence: float = 1.0
    key: str = ""
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """Every surface form: the name, the aliases and the mention texts."""
        seen: dict[str, None] = {self.name: None}
        for form in self.aliases:
            seen.setdefault(form, None)
        for m in self.mentions:
            seen.setdefault(m.text, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class ResultRecord:
    """A numeric claim: "+1.7 mAP on COCO over YOLOv8".

    ``value`` is the number as written, ``number`` its float, ``unit`` one of
    ``%``, ``x``, ``pp``, a unit word or ``None``; ``direction`` is ``"gain"``,
    ``"reduction"`` or ``None`` when the text does not say.
    """

    metric: str
    value: str
    number: float | None = None
    unit: str | None = None
    direction: str | None = None
    dataset: str | None = None
    comparison: str | None = None
    method: str | None = None
    sentence: str = ""
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class RelationRecord:
    """A typed relation between two entities stated in one sentence."""

    type: str
    head: str
    tail: str
    sentence: str
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one paper."""

    paper: Paper
    entities: tuple[EntityRecord, ...] = ()
    proposed: tuple[str, ...] = ()
    results: tuple[ResultRecord, ...] = ()
    relations: tuple[RelationRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class CanonicalEntity:
    """One entity of the whole corpus, after merging and linking.

    ``key`` is ``"<type>/<slug>"`` and decides the entity IRI, so it depends
    only on the type and the merge key, never on which paper came first.
    ``exact_match`` holds external identifiers (IRIs) of a knowledge-base hit.
    """

    key: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    kb_id: str | None = None
    exact_match: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    confidence: float = 1.0
