"""Open inputs as text: gzip, byte-order marks, UTF-16 and Latin-1, streamed.

Researchers paste whatever a web page gave them, so the encoding is detected
from the bytes: a BOM wins, then UTF-16 without BOM (NUL bytes in alternate
positions), then UTF-8, then Windows-1252 as the last resort (it never fails,
and the caller is told). Files that look binary are refused.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_bytes("caf\\u00e9".encode("utf-16"))
>>> sniff(p).encoding
'utf-16'
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.errors import InputError

__all__ = ["SNIFF_BYTES", "Sniffed", "iter_lines", "open_text", "sniff"]

#: How many bytes are read to decide compression, encoding and format.
SNIFF_BYTES = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the first bytes of a file say about it."""

    path: Path
    gzipped: bool
    encoding: str
    head: str
    binary: bool
    magic: bytes

    @property
    def fallback_encoding(self) -> bool:
        """True when the text was not valid UTF-8/16/32 and was read as Windows-1252."""
        return self.encoding == "cp1252"


def _raw_head(path: Path) -> tuple[bytes, bool]:
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as fh:
                return fh.read(SNIFF_BYTES), True
        except (OSError, EOFError, zlib.error) as err:
            raise InputError(
                f"{path}: looks gzipped but cannot be decompressed ({err})",
                fix="re-download the file or decompress it first",
            ) from err
    return head, False


def _guess_encoding(head: bytes) -> str:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if len(head) >= 4:
        even_nul = head[0::2].count(0)
        odd_nul = head[1::2].count(0)
        half = len(head) // 2
        if odd_nul > 0.3 * half and even_nul < 0.05 * half:
            return "utf-16-le"
        if even_nul > 0.3 * half and odd_nul < 0.05 * half:
            return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        # a multi-byte character cut at the end of the sniffed block is still UTF-8
        if err.start >= len(head) - 3 and len(head) == SNIFF_BYTES:
            return "utf-8"
        return "cp1252"


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    if "\x00" in text:
        return True
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return bad > 0.05 * len(text)


def sniff(path: str | Path) -> Sniffed:
    """Read the first bytes of ``path`` and say how to decode it.

    Raises
    ------
    InputError
        If the path does not exist, is a directory or cannot be read.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"no such file: {p}", fix="check the path")
    if p.is_dir():
        raise InputError(f"{p} is a folder, not a file", fix="pass the files inside it")
    try:
        raw, gzipped = _raw_head(p)
    except PermissionError as err:
        raise InputError(f"cannot read {p}: permission denied", fix="check its permissions") from err
    encoding = _guess_encoding(raw)
    if encoding == "cp1252":
        head = raw.decode("cp1252", errors="replace")
    else:
        head = raw.decode(encoding, errors="replace")
    if head.startswith("\ufeff"):
        head = head[1:]
    return Sniffed(p, gzipped, encoding, head, _looks_binary(head[:8192]), raw[:8])


def open_text(sniffed: Sniffed) -> IO[str]:
    """Open the file described by ``sniffed`` as a text stream (universal newlines)."""
    binary: IO[bytes] = gzip.open(sniffed.path, "rb") if sniffed.gzipped else open(sniffed.path, "rb")
    encoding = sniffed.encoding
    return io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline=None)


def iter_lines(sniffed: Sniffed) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` pairs, 1-based, without line endings or BOM."""
    with open_text(sniffed) as fh:
        for number, line in enumerate(fh, start=1):
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            yield number, line.rstrip("\r\n")
