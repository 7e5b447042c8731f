"""The model description (docs/model.md) follows the code: every parameter with its current
default, every lever, and a submodel section for every process of the step plan.

When a default changes, regenerate the tables: python -m smychka.core.params_doc docs/model.md
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from smychka import data
from smychka.core import params_doc
from smychka.core.levers import LEVERS
from smychka.core.params import registry
from smychka.core.plan import step_plan

DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"
REGENERATE = "regenerate the tables: python -m smychka.core.params_doc docs/model.md"
_ROW = re.compile(r"^\| `([^`]+)` \|")


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _rows(text: str) -> dict[str, list[list[str]]]:
    """Table rows keyed by the name in their first cell (`name`), as lists of cells."""
    out: dict[str, list[list[str]]] = {}
    for line in text.splitlines():
        m = _ROW.match(line)
        if m:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            out.setdefault(m.group(1), []).append(cells)
    return out


def _headings(text: str) -> list[tuple[int, str]]:
    out = []
    for line in text.splitlines():
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m:
            out.append((len(m.group(1)), m.group(2)))
    return out


# --- the document ---------------------------------------------------------------------------

def test_every_parameter_appears_with_its_current_default(doc):
    col = params_doc.COLUMNS.index("default")
    rendered = _rows(params_doc.markdown_tables())
    in_doc = _rows(doc)
    missing, stale = [], []
    for name in registry():
        expected = rendered[name][0][col]
        rows = in_doc.get(name)
        if not rows:
            missing.append(name)
        elif not any(len(r) > col and r[col] == expected for r in rows):
            stale.append(f"{name} (code {expected}, document {rows[0][col]})")
    assert not missing, f"parameters missing from docs/model.md: {missing}; {REGENERATE}"
    assert not stale, f"defaults out of date in docs/model.md: {stale}; {REGENERATE}"


def test_every_lever_appears_with_its_current_default(doc):
    col = params_doc.LEVER_COLUMNS.index("default")
    rendered = _rows(params_doc.levers_table())
    in_doc = _rows(doc)
    missing = [name for name in LEVERS if name not in in_doc]
    assert not missing, f"levers missing from docs/model.md: {missing}; {REGENERATE}"
    stale = [name for name in LEVERS
             if not any(len(r) > col and r[col] == rendered[name][0][col]
                        for r in in_doc[name])]
    assert not stale, f"lever defaults out of date in docs/model.md: {stale}; {REGENERATE}"


def test_every_process_of_the_step_plan_has_a_submodel_section(doc):
    heads = _headings(doc)
    start = next((i for i, (_, text) in enumerate(heads) if "Submodels" in text), None)
    assert start is not None, "docs/model.md has no Submodels section"
    level = heads[start][0]
    section = []
    for lvl, text in heads[start + 1:]:
        if lvl <= level:
            break
        section.append(text)
    missing = [s.process for s in step_plan()
               if not any(re.search(rf"\b{re.escape(s.process)}\b", h) for h in section)]
    assert not missing, f"processes without a submodel section in docs/model.md: {missing}"


def test_the_process_overview_follows_the_step_plan(doc):
    """The scheduling table of section 1.3 lists the processes in the order they run, with
    their phases."""
    rows = re.findall(r"^\| (\d+) \| `(\w+)` \|", doc, flags=re.M)
    assert [(int(ph), name) for ph, name in rows] == [(s.phase, s.process)
                                                      for s in step_plan()]


def test_the_document_keeps_its_table_markers(doc):
    for marker in (params_doc.PARAMS_BEGIN, params_doc.PARAMS_END, params_doc.LEVERS_BEGIN,
                   params_doc.LEVERS_END):
        assert doc.count(marker) == 1, f"docs/model.md must hold {marker} exactly once"
    assert params_doc.update(doc) is not None


# --- the table renderer ---------------------------------------------------------------------

def test_markdown_tables_has_one_table_per_process_and_every_parameter_once():
    text = params_doc.markdown_tables()
    processes = list(dict.fromkeys(p.process for p in registry().values()))
    heads = [h for _, h in _headings(text)]
    assert heads == [f"Parameters of `{proc}`" for proc in processes]
    rows = _rows(text)
    assert set(rows) == set(registry())
    assert all(len(r) == 1 and len(r[0]) == len(params_doc.COLUMNS) for r in rows.values())


def test_calibrated_parameters_are_marked():
    col = params_doc.COLUMNS.index("calibrated")
    rows = _rows(params_doc.markdown_tables())
    for name, p in registry().items():
        marked = rows[name][0][col] == params_doc.CALIBRATED_MARK
        assert marked == p.calibrate, name


def test_sources_are_resolved_through_the_bibliography():
    bib = data.sources()
    key = next(k for k in bib if k not in params_doc.VERBATIM and "author" in bib[k])
    label = params_doc.source_label(key)
    assert label.startswith(f"{key}: ")
    assert params_doc._short(bib[key]["author"]) in label
    assert params_doc.source_label("to be calibrated") == "to be calibrated"
    assert params_doc.source_label("model-estimate") == "model-estimate"
    assert params_doc.source_label("no such key §1") == "no such key §1"


def test_levers_table_lists_every_lever():
    rows = _rows(params_doc.levers_table())
    assert list(rows) == list(LEVERS)
    col = params_doc.LEVER_COLUMNS.index("default")
    for name, lv in LEVERS.items():
        assert rows[name][0][col] == params_doc.number(lv.default)


def test_numbers_are_rendered_as_the_command_line_shows_them():
    assert params_doc.number(25e6) == "25,000,000"
    assert params_doc.number(0.003) == "0.003"
    assert params_doc.number(130.0) == "130"
    assert params_doc.number(2) == "2"
