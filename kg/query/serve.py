"""``kg serve``: a real SPARQL 1.1 Protocol endpoint over the built store.

The endpoint is Oxigraph's own HTTP server (the ``oxigraph`` package on PyPI),
not home-made HTTP: it speaks the SPARQL 1.1 Protocol (GET and POST), returns
the standard JSON, XML, CSV and TSV result formats by content negotiation and
stops queries at a time limit. ``kg serve`` starts it read-only and bound to
127.0.0.1 unless told otherwise; read-only, an UPDATE is refused with a 4xx
status and the data stays as it is.

Examples
--------
>>> cmd = server_command("outputs/store", port=7878, timeout=30)
>>> cmd[1:4], cmd[-2:]
(['serve-read-only', '--location', 'outputs/store'], ['--timeout-s', '30'])
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from kg.errors import ConfigError, StoreError
from kg.graph.store import STORE_MARKER

__all__ = ["oxigraph_binary", "resolve_store_dir", "serve", "server_command"]


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server program (installed with the ``oxigraph`` package)."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise ConfigError("the oxigraph server program is not installed", fix="pip install oxigraph")
    return found


def resolve_store_dir(store: str | Path) -> Path:
    """The store folder of an output folder (or the store folder itself)."""
    path = Path(store)
    if (path / "store" / STORE_MARKER).exists():
        return path / "store"
    if (path / STORE_MARKER).exists():
        return path
    raise StoreError(
        f"no graph store in {store}", fix="run `kg build INPUT --out DIR` first, or pass --store DIR"
    )


def server_command(
    store_dir: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    writable: bool = False,
    timeout: float = 30,
    binary: str = "oxigraph",
) -> list[str]:
    """The command line that serves ``store_dir``."""
    mode = "serve" if writable else "serve-read-only"
    return [
        binary,
        mode,
        "--location",
        str(store_dir),
        "--bind",
        f"{host}:{port}",
        "--timeout-s",
        f"{timeout:g}",
    ]


def serve(
    store: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    writable: bool = False,
    timeout: float = 30,
) -> subprocess.Popen:
    """Start the endpoint in the background and return its process.

    The SPARQL endpoint is ``http://HOST:PORT/query`` (and ``/update`` when writable).
    """
    if not 0 < port < 65536:
        raise ConfigError(f"invalid port {port}", fix="use a number from 1 to 65535")
    if timeout <= 0:
        raise ConfigError("the timeout must be positive", fix="pass --timeout SECONDS")
    cmd = server_command(
        resolve_store_dir(store),
        host=host,
        port=port,
        writable=writable,
        timeout=timeout,
        binary=oxigraph_binary(),
    )
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
