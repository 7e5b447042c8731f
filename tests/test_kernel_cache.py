"""numba's disk cache must not keep running a helper that was edited in another file."""
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import smychka
from smychka.kernels import _cache

PACKAGE = Path(smychka.__file__).resolve().parent

# a cached function of kernels/harvest.py that inlines `normal` from core/rng.py
PROBE = ("import numpy as np, smychka\n"
         "from smychka.kernels.harvest import lognormal_shocks\n"
         "print(smychka.__file__)\n"
         "print(repr(lognormal_shocks(np.uint64(7), 5, 3, 0.2).tolist()))\n")


def _probe(tree: Path, cache: Path) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(tree), NUMBA_CACHE_DIR=str(cache))
    env.pop("NUMBA_DISABLE_JIT", None)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, check=True, timeout=600)
    return out.stdout.split("\n")


def test_a_kernel_is_recompiled_when_a_helper_it_inlines_is_edited(tmp_path):
    tree = tmp_path / "src"
    shutil.copytree(PACKAGE, tree / "smychka", ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "cache"
    where, before = _probe(tree, cache)[:2]
    assert Path(where).resolve().is_relative_to(tree), "the probe did not import the copy"
    assert _probe(tree, cache)[1] == before, "the same sources gave another result"
    rng = tree / "smychka" / "core" / "rng.py"
    text = rng.read_text()
    old = "    return np.sqrt(-2.0 * np.log(u1))"
    assert old in text
    rng.write_text(text.replace(old, "    return 2.0 * np.sqrt(-2.0 * np.log(u1))"))
    after = _probe(tree, cache)[1]
    assert after != before, "the kernel ran the cached code of the helper from before the edit"


def _smychka_imports(path: Path) -> set[Path]:
    """Files of the package that `path` imports from (relative or absolute imports)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = path.parent
                for _ in range(node.level - 1):
                    base = base.parent
            elif (node.module or "").startswith("smychka"):
                base = PACKAGE.parent
            else:
                continue
            target = base.joinpath(*(node.module or "").split(".")) if node.module else base
            for alias in node.names:
                for cand in (target / alias.name / "__init__.py",
                             target.with_suffix(".py"), target / "__init__.py"):
                    if cand.exists():
                        found.add(cand.resolve())
                        break
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("smychka"):
                    found.add(PACKAGE.parent.joinpath(*alias.name.split(".")).with_suffix(".py"))
    return found


def test_the_stamp_covers_every_file_the_kernels_import_from():
    stamped = {p.resolve() for p in _cache.SOURCES}
    missing = set()
    for path in _cache.SOURCES:
        missing |= _smychka_imports(path) - stamped
    assert not missing, f"kernels import from files outside the cache stamp: {sorted(missing)}"


def test_the_digest_follows_every_stamped_file(tmp_path):
    files = []
    for name in ("a.py", "b.py"):
        f = tmp_path / name
        f.write_text("X = 1\n")
        files.append(f)
    first = _cache.sources_digest(files)
    assert _cache.sources_digest(files) == first
    files[1].write_text("X = 2\n")
    assert _cache.sources_digest(files) != first


def test_without_numbas_locator_internals_it_warns_and_leaves_the_cache_alone(monkeypatch):
    from numba.core import caching

    before = list(caching.CacheImpl._locator_classes)
    monkeypatch.delattr(caching, "_CacheLocator")
    with pytest.warns(UserWarning, match="clear the numba cache"):
        _cache.install()
    assert caching.CacheImpl._locator_classes == before
