"""The stored graph: an on-disk Oxigraph store plus a manifest that says what built it.

A build writes a new store directory and then replaces `manifest.json` in one
atomic rename, so a failed or interrupted build leaves the previous graph in
place. Readers open the store the manifest names; they never re-parse sources.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import CoopgraphError
from coopgraph.loaders import source_files
from coopgraph.ontology import ONTOLOGY_FILE, SHAPES_FILE

MANIFEST = "manifest.json"
STORE_FORMAT = "2"  # bump when what a build stores changes, so old stores are rebuilt


@dataclass
class Manifest:
    """What a build produced and from what."""

    store: str
    fingerprint: str
    data_dir: str
    seconds: float
    triples: int
    counts: dict[str, int] = field(default_factory=dict)


def fingerprint(data_dir: Path) -> str:
    """Changes whenever a data file, the ontology, the shapes or the store format changes."""
    h = hashlib.sha256(STORE_FORMAT.encode())
    for path in [*source_files(data_dir), ONTOLOGY_FILE, SHAPES_FILE]:
        st = path.stat()
        h.update(f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def read_manifest(build_dir: Path) -> Manifest | None:
    path = build_dir / MANIFEST
    try:
        return Manifest(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as e:
        raise CoopgraphError(str(path), f"unreadable manifest ({e}); run `coopgraph build`") from None


def new_store_dir(build_dir: Path) -> Path:
    """A fresh directory for a build in progress, never the one in use."""
    build_dir.mkdir(parents=True, exist_ok=True)
    return build_dir / f"graph-{os.getpid()}-{os.urandom(4).hex()}"


def commit(build_dir: Path, manifest: Manifest) -> None:
    """Point the manifest at the new store atomically, then drop older stores."""
    tmp = build_dir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(asdict(manifest), indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, build_dir / MANIFEST)
    for old in build_dir.glob("graph-*"):
        if old.name != manifest.store:
            shutil.rmtree(old, ignore_errors=True)


def open_store(build_dir: Path, manifest: Manifest) -> ox.Store:
    """The stored graph, read-only."""
    try:
        return ox.Store.read_only(str(build_dir / manifest.store))
    except OSError as e:
        raise CoopgraphError(str(build_dir / manifest.store), f"cannot open the stored graph ({e})") from None
