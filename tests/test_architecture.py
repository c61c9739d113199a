"""The package's layers: imports point one way, from the site down to the data.

    data  <-  tor, render  <-  check, report, tools  <-  site  <-  cli, hooks

A module may import its own package and any lower layer, never a higher one nor a
sibling of its own layer; lazy imports inside functions count too. The walk reads the
source (ast), so a test can fail on a file nobody imports yet.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "smesa"
LAYERS = {
    "data": 0,
    "tor": 1,
    "render": 1,
    "check": 2,
    "report": 2,
    "tools": 2,
    "site": 3,
    "cli": 4,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every `smesa` module `path` imports, wherever in the file."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("smesa")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "smesa":
            # `from smesa.report import charts` imports smesa.report.charts
            for alias in node.names:
                candidate = Path(*f"{node.module}.{alias.name}".split("."))
                known = (ROOT / candidate).with_suffix(".py").exists()
                package = (ROOT / candidate / "__init__.py").exists()
                name = ".".join(candidate.parts) if known or package else node.module
                found.append((node.lineno, name))
    return found


def package_of(module: str) -> str:
    """The top-level part of `smesa` a module belongs to ('data', 'site', 'cli', ...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def source_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_part_of_the_package_has_a_layer():
    parts = {package_of(module_name(p)) for p in source_files()} - {""}
    assert parts == set(LAYERS)


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path):
    own = package_of(module_name(path))
    wrong = []
    for line, target in imports_of(path):
        other = package_of(target)
        if other in ("", own):
            continue
        if LAYERS[other] >= LAYERS.get(own, 0):
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == []


def test_the_hook_imports_only_the_site():
    hook = ROOT / "hooks" / "smesa_site.py"
    assert {package_of(target) for _, target in imports_of(hook)} == {"site"}


def test_no_import_cycle_between_modules():
    graph = {module_name(p): {t for _, t in imports_of(p)} for p in source_files()}
    modules = set(graph)
    edges = {m: {t for t in targets if t in modules and t != m} for m, targets in graph.items()}
    # A module's own package __init__ is imported with it; that is not a cycle.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if module.startswith(target + "."):
                continue
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_registry_imports_no_rule():
    registry = PACKAGE / "check" / "registry.py"
    assert not [t for _, t in imports_of(registry) if t.startswith("smesa.check.rules")]


def test_a_check_loads_neither_the_site_nor_the_templating_libraries(make_repo):
    # `smesa check` is what contributors and CI run most; it needs the data, the ToR and
    # the rules only (lazy imports elsewhere keep it so).
    program = (
        "import sys\n"
        "from smesa.cli import main\n"
        "code = main(['--root', sys.argv[1], 'check'])\n"
        "print('exit', code)\n"
        "heavy = ('jinja2', 'ruamel', 'mkdocs', 'matplotlib', 'fpdf', 'nh3', 'markdown',"
        " 'smesa.site', 'smesa.report', 'smesa.tools', 'smesa.render.templating')\n"
        "print(sorted({m for m in sys.modules for h in heavy"
        " if m == h or m.startswith(h + '.')}))\n"
    )
    command = [sys.executable, "-c", program, str(make_repo())]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    *_, exit_line, loaded = done.stdout.strip().splitlines()
    assert exit_line == "exit 0", done.stdout + done.stderr  # the check did run, and passed
    assert loaded == "[]"
