"""Packages import downward only: mail < auth < councils < meetings < motions < budget < voting <
documents < minutes < publishing < the pages, the API and the app's wiring. Read from the code
itself with ``ast``, without importing it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "wijkraad"

# Lowest first. A module belongs to the first layer whose name it is or starts with; views
# (``views.py``, ``*_views.py``) are pages, whatever their package.
FOUNDATION = (
    "wijkraad.audit",
    "wijkraad.clock",
    "wijkraad.config",
    "wijkraad.connections",
    "wijkraad.dates",
    "wijkraad.db",
    "wijkraad.errors",
    "wijkraad.extensions",
    "wijkraad.forms",
    "wijkraad.i18n",
    "wijkraad.messages",
    "wijkraad.web",
)
LAYERS = [
    FOUNDATION,
    ("wijkraad.mail",),
    ("wijkraad.auth", "wijkraad.security"),
    ("wijkraad.councils",),
    ("wijkraad.meetings",),
    ("wijkraad.motions",),
    # Below voting: a round's close commits the money of what it adopted.
    ("wijkraad.budget",),
    ("wijkraad.voting",),
    ("wijkraad.documents",),
    # The municipality's look: its logo is checked as documents are; the PDFs carry its name.
    ("wijkraad.look",),
    ("wijkraad.minutes",),
    ("wijkraad.publishing",),
]
TOP = len(LAYERS)  # the pages, the API, the app factory, the command line, the demo

# A function-level import of the app is never the way out of a cycle; these stand, each with
# its reason.
FUNCTION_IMPORTS = {
    "wijkraad": "the app factory imports its parts as it builds an app, as Flask apps do",
    "wijkraad.auth.services": "loading an actor reads their memberships (see ALLOWED_UPWARD)",
}

# Upward imports that stand for now, each with its reason: (importer, imported).
ALLOWED_UPWARD = {
    ("wijkraad.auth.actor", "wijkraad.councils.rules"): (
        "the actor carries its seats and roles, whose enums live with the councils"
    ),
    ("wijkraad.auth.services", "wijkraad.councils.models"): (
        "loading an actor reads their memberships (a function-level import)"
    ),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    last = module.rsplit(".", 1)[-1]
    if last == "views" or last.endswith("_views"):
        return TOP
    for rank, names in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in names):
            return rank
    return TOP


def imports(module: str) -> list[tuple[str, bool, int]]:
    """Every module of the app that ``module`` imports: (name, inside a function, line)."""
    tree = ast.parse(MODULES[module].read_text(), str(MODULES[module]))
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                for alias in child.names:
                    # ``from wijkraad.meetings import services`` imports a module.
                    name = f"{child.module}.{alias.name}"
                    target = name if name in MODULES else child.module
                    found.append((target, in_function, child.lineno))
            elif isinstance(child, ast.Import):
                found.extend((a.name, in_function, child.lineno) for a in child.names)
            inner = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, in_function or inner)

    visit(tree, False)
    return [(name, inner, line) for name, inner, line in found if name in MODULES]


def test_the_layers_name_real_modules():
    for names in LAYERS:
        for name in names:
            assert name in MODULES, name
    for importer, imported in ALLOWED_UPWARD:
        assert importer in MODULES and imported in MODULES
        assert any(name == imported for name, _, _ in imports(importer)), (
            f"{importer} no longer imports {imported}: drop it from ALLOWED_UPWARD"
        )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_its_own_layer_or_lower(module):
    upward = [
        f"{module}:{line} imports {name}"
        for name, _, line in imports(module)
        if layer(name) > layer(module) and (module, name) not in ALLOWED_UPWARD
    ]
    assert upward == []


@pytest.mark.parametrize("module", [m for m in sorted(MODULES) if m not in FUNCTION_IMPORTS])
def test_no_import_hides_in_a_function(module):
    hidden = [f"{module}:{line} imports {name}" for name, inner, line in imports(module) if inner]
    assert hidden == []
