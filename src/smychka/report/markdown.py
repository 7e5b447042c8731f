"""The run report: report.md with its tables, figures and the check of the books."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ._data import SEED
from .balance import TOLERANCE, BalanceCheck, check_balance
from .figures import make_figures
from .tables import (ANNUAL_COLUMNS, STRATUM_COLUMNS, annual_table, by_stratum_table,
                     format_value)

# the annual table is split in two so that neither is too wide to read
GRAIN_COLUMNS = ("harvest_mt", "procurement_mt", "plan_mt", "procurement_vs_plan",
                 "private_sales_mt", "marketed_share", "grain_stock_june_mt", "food_shortfall_mt")

GUIDE = (
    "Quantities are for the whole USSR: the simulated households are scaled up by their "
    "weight. Years are agricultural years, July to June, named after the harvest that opens "
    "them (1926/27 begins with the harvest of 1926); only complete years are tabulated. "
    "Mt is million tonnes, Mha million hectares; prices are roubles per tonne and indices "
    "are 1926/27 = 1. Stocks are read at the end of the month (June for the tables), herds "
    "in January. Strata are the Soviet classification: bednyak (poor), serednyak (middle), "
    "kulak (well-off). {ensemble}The last section checks that the grain and money books "
    "close: every month the recorded flows must equal the change of the stocks."
)


def _attr(ds: xr.Dataset, key: str, default: str = "not recorded") -> str:
    value = ds.attrs.get(key)
    if value is None:
        return default
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(str(v) for v in np.ravel(value))
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.6g}"
    return str(value)


def markdown_table(df: pd.DataFrame) -> str:
    """A pipe table with numbers formatted for reading; the index becomes leading columns."""
    flat = df.reset_index() if df.index.name or any(df.index.names) else df
    text = flat.apply(lambda col: col.map(format_value) if pd.api.types.is_numeric_dtype(col)
                      else col.astype(str))
    try:
        import tabulate  # noqa: F401  (optional: pandas formats through it when present)
    except ImportError:
        return _pipe_table(text)
    return text.to_markdown(index=False, stralign="right")


def _pipe_table(text: pd.DataFrame) -> str:
    cols = [str(c) for c in text.columns]
    widths = [max(len(c), *(len(v) for v in text[c])) if len(text) else len(c) for c in cols]
    lines = ["| " + " | ".join(c.rjust(w) for c, w in zip(cols, widths)) + " |",
             "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"]
    for row in text.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).rjust(w) for v, w in zip(row, widths)) + " |")
    return "\n".join(lines)


def _column_notes(columns, meanings: dict[str, str]) -> str:
    return "; ".join(f"`{c}` {meanings[c]}" for c in columns if c in meanings) + "."


def _header(ds: xr.Dataset) -> list[str]:
    scenario = _attr(ds, "scenario", "unnamed scenario")
    t = ds["time"].values
    period = f"{np.datetime_as_string(t[0], 'M')} to {np.datetime_as_string(t[-1], 'M')}"
    ensemble = ""
    seeds = _attr(ds, "seed")
    if SEED in ds.dims:
        seeds = ", ".join(str(s) for s in ds[SEED].values)
        ensemble = (f"This is an ensemble of {ds.sizes[SEED]} runs: tables give the median "
                    "over runs, figures the median with a band from the 5th to the 95th "
                    "percentile. ")
    return [
        f"# Run report: {scenario}", "",
        f"- Period: {period}",
        f"- Seed: {seeds}",
        f"- Households simulated: {_attr(ds, 'households_simulated')}, "
        f"weight {_attr(ds, 'weight')} (real households per simulated one)",
        f"- smychka version: {_attr(ds, 'smychka_version')}", "",
        GUIDE.format(ensemble=ensemble), "",
    ]


def _tables(ds: xr.Dataset) -> list[str]:
    annual = annual_table(ds)
    grain = [c for c in annual.columns if c in GRAIN_COLUMNS]
    other = [c for c in annual.columns if c not in GRAIN_COLUMNS]
    out = ["## Agricultural years", ""]
    for title, cols in (("Grain", grain), ("Land, herds, prices, tax and loyalty", other)):
        if cols:
            out += [f"### {title}", "", markdown_table(annual[cols]), "",
                    _column_notes(cols, ANNUAL_COLUMNS), ""]
    strat = by_stratum_table(ds)
    if not strat.empty:
        out += ["## By stratum", "", markdown_table(strat), "",
                _column_notes(strat.columns, STRATUM_COLUMNS), ""]
    return out


def _figures(ds: xr.Dataset, out_dir: Path) -> list[str]:
    drawn = make_figures(ds, out_dir / "figures")
    out = ["## Figures", ""]
    for i, (path, caption) in enumerate(drawn, 1):
        out += [f"![{caption}](figures/{path.name})", "", f"*Figure {i}. {caption}*", ""]
    return out if drawn else []


def balance_line(check: BalanceCheck) -> str:
    """One line saying whether a book closes, and by how much it fails to."""
    source = "as listed by the results" if check.from_attrs else "the package's default list"
    flows = ", ".join(f"{'+' if s > 0 else '-'}{v}" for v, s in check.flows)
    head = f"- **{check.book.capitalize()}** ({source}: {flows}): "
    if check.missing:
        return head + "not checked, the results lack " + ", ".join(check.missing) + "."
    if not check.checked:
        return head + "not checked, too few months or empty stocks."
    verdict = "balanced" if check.ok else f"**does not balance** (tolerance {TOLERANCE:.0e})"
    unit = "t" if check.book == "grain" else "roubles"
    return (head + f"largest monthly residual {check.max_residual:.4g} {unit} "
            f"({check.max_relative:.2e} of the stock, {check.worst_month}): {verdict}.")


def _balance(ds: xr.Dataset) -> list[str]:
    lines = [balance_line(check_balance(ds, book)) for book in ("grain", "money")]
    return ["## Do the books close?", "",
            "Each month, the signed flows summed over regions and strata minus the change "
            "of the total stock; the first month is skipped because the stock before it is "
            "unknown.", "", *lines, ""]


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_report(ds: xr.Dataset, out_dir: str | Path) -> Path:
    """Write out_dir/figures/*.png and out_dir/report.md; return the report's path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    text = "\n".join(_header(ds) + _tables(ds) + _figures(ds, out_dir) + _balance(ds))
    path = out_dir / "report.md"
    _write_text(path, text)
    return path
