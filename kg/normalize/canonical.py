"""Merge the entities of all papers into canonical corpus entities.

Per paper, the extractor already grouped the forms of one entity. Across
papers this module

* links every entity it can to the knowledge base (same key => same entity);
* resolves acronyms that a paper uses without defining, through definitions
  made anywhere in the corpus ("PTQ" -> "post-training quantization");
* merges the rest by :func:`~kg.textnorm.form_key` of their full forms
  (case, plural, hyphen and version spelling variants);
* chooses one canonical name per entity: the knowledge base's name, or the
  most frequent full form;
* mints a key ``"<Type>/<slug>"`` from the type and the merge key only, so the
  entity IRI does not depend on which paper came first.

Examples
--------
>>> from kg.records import Paper, Extraction, EntityRecord, Mention
>>> def ent(*forms):
...     return EntityRecord("Method", forms[0], tuple(Mention(f, 0, 1, "") for f in forms))
>>> a = Extraction(Paper("a", "A", "x"), (ent("post-training quantization", "PTQ"),))
>>> b = Extraction(Paper("b", "B", "y"), (ent("PTQ"),))
>>> corpus = normalize([a, b])
>>> [e.key for ex in corpus.extractions for e in ex.entities]
['Method/post-training-quantization', 'Method/post-training-quantization']
>>> corpus.entities["Method/post-training-quantization"].aliases
('PTQ',)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from kg.kb import KBEntry, KnowledgeBase, load_kb
from kg.normalize.hardware import memory_gb
from kg.normalize.linking import link_forms
from kg.records import CanonicalEntity, EntityRecord, Extraction
from kg.textnorm import form_key, is_acronym, slugify

__all__ = ["Corpus", "entity_key", "normalize"]


@dataclass(frozen=True)
class Corpus:
    """Extractions whose entity keys are canonical, and the canonical entities by key."""

    extractions: tuple[Extraction, ...]
    entities: Mapping[str, CanonicalEntity]


def entity_key(etype: str, merge_key: str) -> str:
    """Return the canonical key of an entity: ``"<Type>/<slug>"``.

    >>> entity_key("Method", "llama 2")
    'Method/llama-2'
    """
    return f"{etype}/{slugify(merge_key)}"


def _full_forms(entity: EntityRecord) -> list[str]:
    return [f for f in entity.forms if not is_acronym(f)]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller key becomes the root, so the result does not depend on order
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def normalize(extractions: Iterable[Extraction], kb: KnowledgeBase | None = None) -> Corpus:
    """Merge and link the entities of ``extractions``; see the module docstring."""
    kb = kb if kb is not None else load_kb()
    extractions = tuple(extractions)

    # 1. acronym definitions made anywhere: (type, acronym key) -> long-form keys
    definitions: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for ex in extractions:
        for e in ex.entities:
            full = _full_forms(e)
            if not full:
                continue
            long_key = form_key(max(full, key=len))
            for f in e.forms:
                if is_acronym(f):
                    definitions[(e.type, form_key(f))][long_key] += 1

    # 2. a merge node per entity; union by shared full-form keys and KB entries
    uf = _UnionFind()
    entity_nodes: list[list[str]] = []
    kb_hits: dict[str, KBEntry] = {}
    for ex in extractions:
        nodes_of_paper = []
        for e in ex.entities:
            full = _full_forms(e)
            if full:
                keys = [f"{e.type}|{form_key(f)}" for f in full]
            else:
                acronym = form_key(e.name)
                longs = definitions.get((e.type, acronym))
                target = longs.most_common(1)[0][0] if longs else acronym
                keys = [f"{e.type}|{target}"]
            keys = [k for k in keys if not k.endswith("|")] or [f"{e.type}|{form_key(e.name) or 'x'}"]
            entry = kb.get(e.type, e.key[3:]) if e.key.startswith("kb:") else None
            entry = entry or link_forms((e.name, *e.aliases), e.type, kb)
            if entry is not None:
                kb_node = f"{e.type}|kb:{entry.key}"
                kb_hits[kb_node] = entry
                keys.append(kb_node)
            for k in keys[1:]:
                uf.union(keys[0], k)
            nodes_of_paper.append(keys)
        entity_nodes.append(nodes_of_paper)

    # 3. gather each group's forms and pick its key and name
    group_forms: dict[str, Counter[str]] = defaultdict(Counter)
    group_type: dict[str, str] = {}
    group_kb: dict[str, KBEntry] = {}
    group_attrs: dict[str, dict[str, str]] = defaultdict(dict)
    for ex, nodes_of_paper in zip(extractions, entity_nodes):
        for e, keys in zip(ex.entities, nodes_of_paper):
            root = uf.find(keys[0])
            group_type[root] = e.type
            for m in e.mentions:
                group_forms[root][m.text] += 1
            for f in e.forms:
                group_forms[root][f] += 0
            for k in keys:
                if k in kb_hits:
                    group_kb.setdefault(root, kb_hits[k])
    for root, forms in group_forms.items():
        if group_type[root] == "Hardware":
            sizes = {memory_gb(f) for f in forms} - {None}
            if len(sizes) == 1:
                group_attrs[root]["memoryGB"] = f"{sizes.pop():g}"

    canonical: dict[str, CanonicalEntity] = {}
    root_key: dict[str, str] = {}
    for root, forms in group_forms.items():
        etype = group_type[root]
        entry = group_kb.get(root)
        if entry is not None:
            key = entity_key(etype, entry.key)
            name = entry.name
        else:
            merge = root.split("|", 1)[1]
            key = entity_key(etype, merge)
            name = _choose_name(forms)
        root_key[root] = key
        aliases = tuple(sorted({f for f in forms if f != name}))
        attrs = dict(entry.attributes) if entry is not None else {}
        attrs.update(group_attrs.get(root, {}))
        canonical[key] = CanonicalEntity(
            key=key,
            type=etype,
            name=name,
            aliases=aliases,
            kb_id=entry.key if entry is not None else None,
            exact_match=entry.external_ids if entry is not None else (),
            attributes=tuple(sorted(attrs.items())),
        )

    # 4. rewrite the extractions with canonical keys
    out = []
    for ex, nodes_of_paper in zip(extractions, entity_nodes):
        ents = tuple(
            replace(e, key=root_key[uf.find(keys[0])]) for e, keys in zip(ex.entities, nodes_of_paper)
        )
        out.append(replace(ex, entities=_merge_same_key(ents)))
    return Corpus(tuple(out), MappingProxyType(canonical))


def _choose_name(forms: Counter[str]) -> str:
    """The most frequent full form (not an acronym), then the longest."""
    full = [f for f in forms if not is_acronym(f)] or list(forms)
    return max(full, key=lambda f: (forms[f], len(f.split()), f[:1].islower(), len(f), f))


def _merge_same_key(entities: tuple[EntityRecord, ...]) -> tuple[EntityRecord, ...]:
    """Merge entities of one paper that ended with the same canonical key."""
    by_key: dict[str, EntityRecord] = {}
    for e in entities:
        if e.key not in by_key:
            by_key[e.key] = e
            continue
        first = by_key[e.key]
        forms = [*first.aliases, *(f for f in e.forms if f != first.name and f not in first.aliases)]
        by_key[e.key] = replace(
            first,
            mentions=tuple(sorted((*first.mentions, *e.mentions), key=lambda m: m.start)),
            aliases=tuple(forms),
            confidence=max(first.confidence, e.confidence),
            attributes=tuple(sorted(set(first.attributes) | set(e.attributes))),
        )
    return tuple(by_key.values())
