"""Every module of ikone/ sits in a layer of the import contract, so none escapes it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The package's own __init__ only exposes the Celery app; tests are not part of the portal.
OUTSIDE = {"ikone"}


def _layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [{name.strip() for name in layer.split(":")} for layer in contract["layers"]]


def _ikone_modules() -> set[str]:
    names = set()
    for path in (ROOT / "ikone").iterdir():
        if path.name.startswith(("_", ".")) or path.name == "locale":
            continue
        if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()):
            names.add(f"ikone.{path.stem}")
    return names


def test_every_ikone_module_is_in_the_top_or_the_bottom_layer():
    layers = _layers()
    top, bottom = layers[0], layers[-1]
    missing = sorted(_ikone_modules() - top - bottom - OUTSIDE)
    assert not missing, f"add to a layer in pyproject.toml [tool.importlinter]: {missing}"


def test_the_bottom_contract_lists_the_same_modules_as_the_bottom_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (forbidden,) = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["name"] == "The shared bottom imports no app"
    ]
    assert set(forbidden["source_modules"]) == _layers()[-1]
