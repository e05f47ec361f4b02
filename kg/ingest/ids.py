"""Title keys and paper identifiers.

Two listings of one paper differ in case, spacing and punctuation
("Flexible MOFGeneration ..." and "Flexible MOF Generation ..."), so papers are
de-duplicated by :func:`title_key`, which keeps letters and digits only.

Examples
--------
>>> title_key("Flexible MOFGeneration with Torsion-Aware Flow Matching")
'flexiblemofgenerationwithtorsionawareflowmatching'
>>> title_key("Flexible MOF Generation with  Torsion-Aware Flow Matching")
'flexiblemofgenerationwithtorsionawareflowmatching'
>>> paper_id_for("A Title", "")
'p-8aadd0c21a6a'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["clean_id", "paper_id_for", "title_key"]

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._:~-]+")


def title_key(title: str) -> str:
    """Return the de-duplication key of a title: NFKC, case-folded, letters and digits only."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", title).casefold())
    return _NON_WORD.sub("", folded)


def paper_id_for(title: str, abstract: str) -> str:
    """Return a stable id for a paper that has none: a hash of its title key.

    Papers without a title are keyed by their abstract.
    """
    key = title_key(title) or "abstract:" + title_key(abstract)
    return "p-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def clean_id(value: object) -> str | None:
    """Return an input id as a safe, non-empty string, or ``None``."""
    if value is None or isinstance(value, bool):
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    text = _ID_UNSAFE.sub("-", text).strip("-")
    return text[:200] or None
