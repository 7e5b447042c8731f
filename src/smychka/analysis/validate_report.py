"""The validation report: a figure per series (model band over record), report.md or
docs/validation.md, scores.csv, and the table printed on the console."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from .. import __version__
from matplotlib.figure import Figure

from ..report._plot import DPI, save
from .observation import OBS_PARAMS
from .validate import MEDIAN_LEVEL, VERDICTS, Validation, fmt, row_label, series_summary

MODEL_COLOUR, RECORD_COLOUR = "#0072B2", "#000000"
VERDICT_MARK = {"fits": "yes", "near": "near", "misses": "no", "undefined": "–"}
NOT_COMPARED = ("not modelled yet", "not modelled", "policy input", "outside the run")


_UNITS = {"kg_ha": "kg/ha", "mln_ha": "Mha", "rub_per_tonne": "roubles/t",
          "index_1928_100": "index, 1928 = 100"}


def pretty_unit(unit: str) -> str:
    """'mln_households' -> 'mln households', 'kg_ha' -> 'kg/ha'."""
    return _UNITS.get(unit, unit.replace("_per_", " per ").replace("_", " "))


def _observed(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["verdict"].isin(VERDICTS)]


# --- figures ---------------------------------------------------------------------------

def series_figure(group: pd.DataFrame, folder: Path, name: str) -> Path:
    """One series: the record's value and band (black) beside the model's seeds, median and
    5-95 % band (blue), one position per period (and region); test years shaded."""
    unit = group["unit"].iloc[0]
    # a fixed layout: constrained layout would draw every figure twice
    labels = [row_label(r) for r in group.itertuples(index=False)]
    rotate = len(labels) * max(map(len, labels)) > 100   # labels would overlap
    fig = Figure(figsize=(9, 3.6), dpi=DPI)
    fig.subplots_adjust(left=0.08, right=0.76, top=0.88, bottom=min(
        0.45, 0.08 + 0.013 * max(map(len, labels))) if rotate else 0.16)
    ax = fig.add_subplot()
    fig.suptitle(f"{name} ({pretty_unit(unit)})", fontsize=12, fontweight="bold")
    x = np.arange(len(group))
    for i, r in enumerate(group.itertuples(index=False)):
        if r.window == "test":
            ax.axvspan(i - 0.5, i + 0.5, color="0.92", lw=0, zorder=0,
                       label="test years (after 1929)" if i == list(group["window"]).index(
                           "test") else None)
        ax.errorbar(i - 0.12, r.value, yerr=[[r.value - r.low], [r.high - r.value]], fmt="o",
                    color=RECORD_COLOUR, capsize=4, lw=1.4, label="record and its band"
                    if i == 0 else None)
        if r.verdict == "undefined":
            continue
        ax.vlines(i + 0.12, r.lo, r.hi, color=MODEL_COLOUR, lw=7, alpha=0.35,
                  label="model, 5-95 % of runs" if i == 0 else None)
        finite = r.model[np.isfinite(r.model)]
        ax.scatter(np.full(len(finite), i + 0.12), finite, s=8, color=MODEL_COLOUR, alpha=0.5,
                   lw=0, label="model runs" if i == 0 else None)
        ax.plot(i + 0.12, r.median, "D", color=MODEL_COLOUR, ms=6,
                label="model median" if i == 0 else None)
    ax.set_xticks(x, labels, rotation=30 if rotate else 0, ha="right" if rotate else "center",
                  fontsize=8)
    ax.set_xlim(-0.6, len(group) - 0.4)
    ax.set_ylabel(pretty_unit(unit))
    ax.grid(axis="y", color="0.85", lw=0.6)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return save(fig, folder, name)


def make_figures(v: Validation, folder: Path) -> dict[str, Path]:
    rows = _observed(v.rows)
    return {name: series_figure(group, folder, name)
            for name, group in rows.groupby("series", sort=False)}


# --- markdown ----------------------------------------------------------------------------

def _pipe(header: list[str], body: list[list[str]]) -> str:
    esc = [[str(c).replace("|", "\\|") for c in row] for row in body]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in esc])


def _counts_line(v: Validation, window: str) -> str:
    rows = _observed(v.window(window))
    if rows.empty:
        return "no rows observed"
    c = rows["verdict"].value_counts()
    parts = [f"{c.get(k, 0)} {k}" for k in VERDICTS if c.get(k, 0)]
    s = series_summary(rows)
    fits = s["fit"] == s["rows"]
    every, sure = int(fits.sum()), int((fits & ~s["edge"]).sum())
    more = int((s["reach"] & ~fits).sum())
    level = f"{MEDIAN_LEVEL * 100:.0f} %"
    return (f"{len(rows)} rows of {rows['series'].nunique()} series observed: "
            + ", ".join(parts) + f"; {every} series within the band in every row, {sure} of "
            f"them with every median's {level} interval inside the band; {more} other "
            "series reach the band in every row within that interval")


def _row_table(group: pd.DataFrame) -> str:
    body = [[row_label(r), fmt(r.median), f"{fmt(r.lo)} to {fmt(r.hi)}", fmt(r.value),
             f"{fmt(r.low)} to {fmt(r.high)}", VERDICT_MARK[r.verdict],
             r.window, r.source] for r in group.itertuples(index=False)]
    return _pipe(["period", "model median", "model 5-95 %", "record", "record band",
                  "within band?", "window", "source"], body)


def _not_compared(v: Validation) -> list[str]:
    out = []
    for status in NOT_COMPARED:
        rows = v.rows[v.rows["status"] == status]
        if rows.empty:
            continue
        out += [f"### {status.capitalize()}", ""]
        for name, g in rows.groupby("series", sort=False):
            periods = ", ".join(row_label(r) for r in g.itertuples(index=False))
            out.append(f"- `{name}` ({periods}): {g['reason'].iloc[0]}")
        out.append("")
    return out


def _why(summary: pd.DataFrame, window: str = "calibration") -> list[str]:
    """For each series that misses in some row: why (data/misfits.toml), or that it is not
    yet explained."""
    from .. import data

    known = data.misfits(window)
    bad = summary[summary["fit"] < summary["rows"]]
    if bad.empty:
        return []
    title = "in the test years" if window == "test" else "where it does"
    out = [f"### Why the model misses {title}", ""]
    for s in bad.itertuples(index=False):
        out.append(f"- `{s.series}` ({s.fit} of {s.rows} within band): "
                   + known.get(s.series, "not yet explained."))
    return out + [""]


def markdown(v: Validation, figures: dict[str, Path], fig_prefix: str,
             command: str | None = None) -> str:
    """The report text; figures are linked as `fig_prefix` + file name."""
    seeds = f"{v.seeds[0]}-{v.seeds[-1]}" if len(v.seeds) > 1 else str(v.seeds[0])
    lines = [f"# Validation: the `{v.scenario}` scenario against the historical record", ""]
    if command:
        lines += [f"Generated by `{command}` (smychka {__version__}); regenerate it rather "
                  "than edit it.", ""]
    if v.params:
        lines += ["Parameters changed from their defaults: " + ", ".join(
            f"`{k}` = {fmt(x)}" for k, x in v.params.items()) + ".", ""]
    lines += [
        f"An ensemble of {len(v.seeds)} runs (seeds {seeds}) of {v.households:,} households "
        "each, scaled to the USSR, is read through the observation model below and set "
        "beside every historical series the package holds. For each period the model gives "
        "its median over runs and the band from the 5th to the 95th percentile of runs; the "
        "record gives a value and a band (the spread of the sources, at least 5 % either "
        "side, 10 % for figures recalled from the literature).",
        "",
        "A row **fits** when the model median lies inside the record's band, is **near** "
        "when it lies outside but the model's band overlaps the record's, and **misses** "
        "otherwise. The calibration window holds the periods up to 1929 (agricultural years "
        "to 1928/29, other periods to December 1929), the only ones calibration may see; "
        "later periods are a test.",
        "",
        f"The median of {len(v.seeds)} runs is itself uncertain. For each row a "
        f"{MEDIAN_LEVEL * 100:.0f} % interval for the median of the model's distribution is "
        "taken from the runs' order statistics (distribution-free); where it crosses an edge of "
        "the record's band, other runs could turn the row's verdict. The summary counts the "
        "series that fit in every row with that interval inside the band, and those that "
        "could fit in every row with other runs.",
        "",
        "## Summary",
        "",
        f"- 1924-1929 (calibration window): {_counts_line(v, 'calibration')}.",
        f"- Periods ending after 1929 (test window): {_counts_line(v, 'test')}.",
        "",
    ]
    summary = v.by_series("calibration")
    groups = (("Within the band in every row", summary["fit"] == summary["rows"]),
              ("Of those, at a band's edge in some row",
               (summary["fit"] == summary["rows"]) & summary["edge"]),
              ("In some rows", (summary["fit"] > 0) & (summary["fit"] < summary["rows"])),
              ("In none", summary["fit"] == 0))
    for title, mask in groups:
        names = ", ".join(f"`{s}`" for s in summary.loc[mask, "series"]) or "none"
        lines.append(f"- {title} (1924-1929): {names}.")
    lines += ["", "## Where the model fits and where it does not, 1924-1929", ""]
    lines += [_pipe(["series", "unit", "rows within band", "note"],
                    [[f"[`{s.series}`](#{s.series})", pretty_unit(s.unit),
                      f"{s.fit} of {s.rows}", s.note]
                     for s in summary.itertuples(index=False)]), ""]
    lines += _why(summary)
    test = v.by_series("test")
    if not test.empty:
        lines += ["## The test years: periods ending after 1929", "",
                  _pipe(["series", "unit", "rows within band", "note"],
                        [[f"`{s.series}`", pretty_unit(s.unit), f"{s.fit} of {s.rows}",
                          s.note]
                         for s in test.itertuples(index=False)]), ""]
        lines += _why(test, "test")
    lines += ["## The observation model", "",
              "What the statistics of the day would have reported, computed from the "
              "simulated quantities. Each series below says how it is read.", "",
              _pipe(["parameter", "value", "unit", "meaning", "source"],
                    [[f"`{p.name}`", fmt(v.obs_params[p.name]), p.unit, p.meaning, p.source]
                     for p in OBS_PARAMS.values()]), "",
              "Herds counted on 1 January are the model's herds at the end of December; the "
              "sown area of an agricultural year is the area standing at the end of June "
              "for the harvest that opens it; yearly stocks are means over the months of "
              "the year; a date is read at the nearest end of a month. A stratum's crop "
              "is the crop of the farms the September classification puts in it on that "
              "harvest (`classified_harvest`), so that a class's crop and the sales from it "
              "refer to the same farms; at the harvest itself a farm still holds last "
              "year's stratum.", "",
              "## Series", ""]
    for name, group in _observed(v.rows).groupby("series", sort=False):
        how = group['reason'].iloc[0]
        lines += [f"### {name}", "",
                  f"{how[:1].upper()}{how[1:]} "
                  f"({pretty_unit(group['unit'].iloc[0])}).", ""]
        if name in figures:
            lines += [f"![{name}]({fig_prefix}{figures[name].name})", ""]
        lines += [_row_table(group), ""]
        notes = [f"{row_label(r)}: {r.note}" for r in group.itertuples(index=False)
                 if r.verdict != "fits" and r.note]
        if notes:
            lines += ["; ".join(notes) + ".", ""]
    lines += ["## Not compared", ""] + _not_compared(v)
    return "\n".join(lines).rstrip() + "\n"


def scores_frame(v: Validation) -> pd.DataFrame:
    out = v.rows.drop(columns=["model"]).copy()
    out["model_runs"] = [";".join(f"{x:.6g}" for x in m) for m in v.rows["model"]]
    return out


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_report(v: Validation, folder: Path, command: str | None = None) -> Path:
    """report.md, figures/<series>.png and scores.csv in `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    figures = make_figures(v, folder / "figures")
    scores_frame(v).to_csv(folder / "scores.csv", index=False)
    path = folder / "report.md"
    _write_text(path, markdown(v, figures, "figures/", command))
    return path


def write_docs(v: Validation, docs: Path, command: str | None = None) -> Path:
    """docs/validation.md and docs/figures/validation/<series>.png; figures of series no
    longer observed are removed."""
    docs = Path(docs)
    if not docs.is_dir():
        raise FileNotFoundError(f"{docs} is not a folder: run from the project root")
    fig_dir = docs / "figures" / "validation"
    figures = make_figures(v, fig_dir)
    keep = {p.name for p in figures.values()}
    for old in fig_dir.glob("*.png"):
        if old.name not in keep:
            old.unlink()
    path = docs / "validation.md"
    _write_text(path, markdown(v, figures, "figures/validation/", command))
    return path


# --- console -----------------------------------------------------------------------------

def print_table(v: Validation, console: Console | None = None) -> None:
    """The observed rows (series, period, model median and 90 % band, record, within band?)
    and one line per kind of row not compared."""
    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
    table = Table(title=f"{v.scenario}: {len(v.seeds)} runs of {v.households:,} households "
                        "against the record", title_justify="left", header_style="bold")
    for col in ("series", "period", "model median", "model 5-95 %", "record", "band",
                "unit", "within band?"):
        table.add_column(col, no_wrap=col in ("series", "period"),
                         justify="left" if col in ("series", "period", "unit") else "right")
    rows = _observed(v.rows)
    last = None
    for r in rows.itertuples(index=False):
        style = {"fits": "green", "near": "yellow", "misses": "red"}.get(r.verdict)
        mark = VERDICT_MARK[r.verdict]
        period = row_label(r) + (" (test)" if r.window == "test" else "")
        table.add_row(r.series if r.series != last else "", period, fmt(r.median),
                      f"{fmt(r.lo)}-{fmt(r.hi)}", fmt(r.value), f"{fmt(r.low)}-{fmt(r.high)}",
                      pretty_unit(r.unit), f"[{style}]{mark}[/{style}]" if style else mark)
        last = r.series
    console.print(table)
    console.print(f"1924-1929: {_counts_line(v, 'calibration')}; "
                  f"later: {_counts_line(v, 'test')}.", highlight=False)
    for status in NOT_COMPARED:
        names = v.rows.loc[v.rows["status"] == status, "series"].unique()
        if len(names):
            console.print(f"{status}: {', '.join(names)}", style="dim", highlight=False)
