"""The service worker's app shell (static/sw.js SHELL) installs and covers the page offline.

``Cache.addAll`` rejects a list with a duplicate request, and a rejected install leaves
``navigator.serviceWorker.ready`` pending forever (no offline page at all); a module that
``main.js`` imports statically but the shell lacks breaks the page offline. Both happened when
parallel branches each added their modules to the list.
"""

from __future__ import annotations

import re
from pathlib import Path

from service.settings import REPO_ROOT

STATIC = Path(REPO_ROOT) / "static"
IMPORT = re.compile(r"""^\s*import\s+(?:[^'"]*?\s+from\s+)?['"](\.{1,2}/[^'"]+\.js)['"]""", re.M)


def shell_entries() -> list[str]:
    text = (STATIC / "sw.js").read_text(encoding="utf-8")
    body = re.search(r"const SHELL = \[(.*?)\];", text, re.S)
    assert body, "static/sw.js has no SHELL list"
    return re.findall(r"'([^']+)'", body.group(1))


def static_imports(entry: Path) -> set[Path]:
    """Every module ``entry`` imports statically, transitively (dynamic import() excluded)."""
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for rel in IMPORT.findall(module.read_text(encoding="utf-8")):
            todo.append((module.parent / rel).resolve())
    return seen


def test_shell_has_no_duplicate_and_every_file_exists() -> None:
    entries = shell_entries()
    duplicates = sorted({e for e in entries if entries.count(e) > 1})
    assert not duplicates, f"Cache.addAll rejects duplicates: {duplicates}"
    missing = [e for e in entries if e.startswith("/static/") and not (STATIC / e[8:]).is_file()]
    assert not missing, missing


def test_shell_holds_every_module_the_map_page_imports() -> None:
    listed = {(STATIC / e[8:]).resolve() for e in shell_entries() if e.startswith("/static/")}
    needed = static_imports((STATIC / "js" / "main.js").resolve())
    absent = sorted(str(p.relative_to(STATIC.resolve())) for p in needed - listed)
    assert not absent, f"imported by main.js but not cached for offline use: {absent}"
