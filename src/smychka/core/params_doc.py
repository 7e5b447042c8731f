"""Markdown tables of the parameter registry and the levers, for the model description.

`markdown_tables()` renders `params.registry()` as one table per process; `levers_table()`
renders `levers.LEVERS`. docs/model.md carries both between marker comments, and
`python -m smychka.core.params_doc FILE` rewrites what lies between them, so the document
follows the code (tests/test_docs.py fails when a default changes without the document).
"""
from __future__ import annotations

import sys
from pathlib import Path

from .levers import LEVERS, Lever
from .params import Param, registry

COLUMNS = ("name", "meaning", "unit", "default", "bounds", "source", "calibrated")
LEVER_COLUMNS = ("name", "meaning", "unit", "default", "bounds", "set per")
# source labels shown as they are, not looked up in the bibliography
VERBATIM = ("to be calibrated", "model-estimate")
CALIBRATED_MARK = "yes"

PARAMS_BEGIN, PARAMS_END = "<!-- params:begin -->", "<!-- params:end -->"
LEVERS_BEGIN, LEVERS_END = "<!-- levers:begin -->", "<!-- levers:end -->"


def number(x: float) -> str:
    """A default or bound as the tables show it (as `smychka params` does)."""
    x = float(x)
    return f"{x:,.0f}" if abs(x) >= 1e5 else f"{x:g}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _short(text: str, limit: int = 60) -> str:
    """The head of an author or title field: before any parenthesis, cut at a comma if long."""
    head = str(text).split(" (")[0].strip()
    if len(head) > limit and ", " in head:
        head = head.split(", ")[0]
    return head


def source_label(source: str) -> str:
    """A parameter's source: bibliography keys resolved to 'KEY: author, *title* (year)';
    'to be calibrated', 'model-estimate' and references that are not keys shown as they are."""
    from .. import data

    bib = data.sources()
    out = []
    for key in [k.strip() for k in str(source).split(";") if k.strip()]:
        if key in VERBATIM or key not in bib:
            out.append(key)
            continue
        entry = bib[key]
        text = f"{key}: {_short(entry.get('author', ''))}"
        title = _short(entry.get("title", ""))
        if title:
            text += f", *{title}*"
        if "year" in entry:
            text += f" ({entry['year']})"
        out.append(text)
    return "; ".join(out)


def param_row(p: Param) -> str:
    cells = (f"`{p.name}`", p.meaning, p.unit, number(p.default),
             f"{number(p.bounds[0])} to {number(p.bounds[1])}", source_label(p.source),
             CALIBRATED_MARK if p.calibrate else "")
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _header(columns) -> list[str]:
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def markdown_tables() -> str:
    """The parameter registry: one markdown table per process, in step-plan order."""
    by_process: dict[str, list[Param]] = {}
    for p in registry().values():
        by_process.setdefault(p.process, []).append(p)
    blocks = []
    for process, params in by_process.items():
        lines = [f"### Parameters of `{process}`", "", *_header(COLUMNS)]
        lines += [param_row(p) for p in params]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def lever_row(lv: Lever) -> str:
    cells = (f"`{lv.name}`", lv.meaning, lv.unit, number(lv.default),
             f"{number(lv.bounds[0])} to {number(lv.bounds[1])}",
             "agricultural year" if lv.annual else "month")
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def levers_table() -> str:
    """The levers of the centre as one markdown table."""
    return "\n".join([*_header(LEVER_COLUMNS), *(lever_row(lv) for lv in LEVERS.values())]) + "\n"


def _splice(text: str, begin: str, end: str, body: str) -> str:
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < i:
        raise ValueError(f"markers {begin} ... {end} not found in order")
    return text[: i + len(begin)] + "\n" + body + text[j:]


def update(text: str) -> str:
    """`text` with the parameter and lever tables between their markers regenerated."""
    text = _splice(text, PARAMS_BEGIN, PARAMS_END, markdown_tables())
    return _splice(text, LEVERS_BEGIN, LEVERS_END, levers_table())


def main(argv: list[str]) -> int:
    if not argv:
        sys.stdout.write(markdown_tables() + "\n" + levers_table())
        return 0
    path = Path(argv[0])
    path.write_text(update(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
