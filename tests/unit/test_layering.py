"""The dependency rule: the queue domain imports only the standard library and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "domain"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_imports_only_stdlib_and_itself():
    offenders = {}
    for path in DOMAIN.glob("*.py"):
        bad = {
            name
            for name in imported_modules(path)
            if not name.startswith("shared.domain")
            and name.split(".")[0] not in sys.stdlib_module_names
        }
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def test_domain_never_reads_the_clock():
    for path in DOMAIN.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ".now(" not in text and "time.time(" not in text, path.name
