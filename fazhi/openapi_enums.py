"""Stable, collision-free names for every choice set in the OpenAPI schema.

drf-spectacular names an enum after the field ("StatusEnum", "KindEnum"); with a dozen apps that each
have a `status` and a `kind`, the names collide and the schema generator warns (the suite fails on
warnings). Rather than each module adding hand-written overrides as collisions appear, every
TextChoices/IntegerChoices class declared in an app's `choices.py` or `models.py` gets the name
`<App><Class>Enum` (`LegalReviewKindEnum`). The classes are found by reading the source (no import
at settings time), so a new module is covered by declaring its choices.
"""

from __future__ import annotations

import ast
from pathlib import Path

_CHOICE_BASES = {"TextChoices", "IntegerChoices", "Choices"}
_MODULES = ("choices.py", "models.py")


def _is_choices(node: ast.ClassDef) -> bool:
    for base in node.bases:
        name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
        if name in _CHOICE_BASES:
            return True
    return False


def enum_name_overrides(package_dir: Path, manual: dict[str, str]) -> dict[str, str]:
    """`manual` entries win; every other choices class gets `<App><Class>Enum`."""
    overrides = dict(manual)
    taken = set(manual.values())
    for app_dir in sorted(p for p in package_dir.iterdir() if p.is_dir()):
        for filename in _MODULES:
            path = app_dir / filename
            if not path.is_file():
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.ClassDef) and _is_choices(node):
                    dotted = f"{package_dir.name}.{app_dir.name}.{path.stem}.{node.name}"
                    if dotted in taken:
                        continue
                    app = "".join(part.capitalize() for part in app_dir.name.split("_"))
                    name = node.name if node.name.startswith(app) else f"{app}{node.name}"
                    overrides.setdefault(f"{name}Enum", dotted)
    return overrides


def drop_duplicate_choice_sets(overrides: dict[str, str]) -> None:
    """Two classes with the same choices would give one choice set two names (the generator
    refuses that); keep the first name, in place. Called once the apps are loaded."""
    from django.utils.module_loading import import_string

    seen: set[tuple[tuple[str, str], ...]] = set()
    for name, dotted in list(overrides.items()):
        try:
            choices = import_string(dotted).choices
        except ImportError:
            del overrides[name]
            continue
        key = tuple(sorted((str(v), str(label)) for v, label in choices if v not in ("", None)))
        if key in seen:
            del overrides[name]
        else:
            seen.add(key)
