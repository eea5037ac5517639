"""The web app talks to the engine through one door: `scheduling/__init__.py` exports what the
app uses, and no module of the app imports a module inside `scheduling` (issue 33). A change to
the engine's inside then cannot break the app unseen."""

from __future__ import annotations

import ast
from pathlib import Path

import scheduling

APP = Path(__file__).resolve().parents[2] / "workcentre"


def _engine_imports(path: Path) -> list[tuple[str, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "scheduling":
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names
                      if alias.name.split(".")[0] == "scheduling"]
    return found


def test_the_app_imports_only_what_the_engine_exports():
    inside, unknown = [], []
    for path in sorted(APP.rglob("*.py")):
        for module, names in _engine_imports(path):
            where = str(path.relative_to(APP.parent))
            if module != "scheduling":
                inside.append(f"{where}: {module}")
            unknown += [f"{where}: {name}" for name in names if name not in scheduling.__all__]
    assert not inside, "import these from `scheduling` instead: " + ", ".join(inside)
    assert not unknown, "not exported by scheduling/__init__.py: " + ", ".join(unknown)
    assert any(_engine_imports(path) for path in APP.rglob("*.py"))  # the walk saw the app
