"""python-escpos's printer capabilities pickle: one per installation, only ever whole.

python-escpos caches its capabilities.json as a pickle in $ESCPOS_CAPABILITIES_PICKLE_DIR
and rewrites it in place (open "wb", parse the JSON, dump): for that moment any other
process importing escpos reads an empty file and dies with EOFError. A folder shared by
every installation on the machine (as /tmp/antrian-escpos was) makes that likely, and lets
anyone with access to /tmp plant a pickle. So the folder belongs to this installation, and
the pickle is written here atomically before escpos is imported: escpos then finds it
current and only reads it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import platform
import sys
import tempfile
from pathlib import Path

import yaml

PICKLE_DIR_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
CAPABILITIES_FILE_ENV = "ESCPOS_CAPABILITIES_FILE"


def prepare() -> Path:
    """Point python-escpos at this installation's pickle and make sure it is whole.

    Call before escpos is imported. An admin's own $ESCPOS_CAPABILITIES_PICKLE_DIR is kept.
    """
    folder = Path(os.environ.get(PICKLE_DIR_ENV) or installation_folder())
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[PICKLE_DIR_ENV] = str(folder)
    source = _capabilities_json()
    if source is not None:
        _ensure_pickle(folder / f"{platform.python_version()}.capabilities.pickle", source)
    return folder


def installation_folder() -> Path:
    """Inside the virtualenv when there is one, else the user's cache, named by install."""
    if sys.prefix != sys.base_prefix and os.access(sys.prefix, os.W_OK):
        return Path(sys.prefix) / "var" / "antrian-escpos"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    install = hashlib.sha256(sys.prefix.encode()).hexdigest()[:12]
    return cache / "antrian" / f"escpos-{install}"


def _capabilities_json() -> Path | None:
    configured = os.environ.get(CAPABILITIES_FILE_ENV)
    if configured:
        return Path(configured)
    # find_spec locates the package without running it (importing escpos writes the pickle).
    spec = importlib.util.find_spec("escpos")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"
    return found if found.exists() else None


def _ensure_pickle(path: Path, source: Path) -> None:
    if _is_whole(path) and path.stat().st_mtime >= source.stat().st_mtime:
        return
    # The same parse python-escpos does (yaml.safe_load), with the C loader when present.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    capabilities = yaml.load(source.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(capabilities, file, protocol=2)  # the protocol escpos writes
        os.replace(partial, path)  # readers see the old file or the new one, never half
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _is_whole(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            pickle.load(file)  # noqa: S301 (our own folder, written by us or by escpos)
        return True
    except FileNotFoundError:
        return False
    except Exception:  # truncated or corrupt: left by a writer that was interrupted
        return False
