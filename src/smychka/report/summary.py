"""The summary printed at the end of a run: the annual table on the console."""
from __future__ import annotations

import pandas as pd
import xarray as xr
from rich.console import Console
from rich.table import Table

from .tables import ANNUAL_COLUMNS, annual_table, format_value


def summary_table(ds: xr.Dataset, annual: pd.DataFrame | None = None) -> Table:
    """The annual table turned on its side: a row per quantity, a column per agricultural
    year, so that ten years fit a terminal where sixteen quantities would not."""
    annual = annual_table(ds) if annual is None else annual
    title = f"{ds.attrs.get('scenario', 'run')}: agricultural years (July-June)"
    table = Table(title=title, title_justify="left", header_style="bold")
    table.add_column("quantity", style="bold", no_wrap=True)
    for year in annual.index:   # "1926/27" -> "26/27": ten years fit a terminal
        label = str(year)
        table.add_column(label[2:] if len(label) == 7 else label, justify="right",
                         no_wrap=True)
    for col in annual.columns:
        table.add_row(col, *(format_value(v) for v in annual[col]))
    return table


def print_summary(ds: xr.Dataset, console: Console | None = None) -> None:
    """Print the annual table (and what its columns mean) with rich."""
    if console is None:   # piped output (logs, CI) gets a wide page instead of 80 columns
        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
    annual = annual_table(ds)
    console.print(summary_table(ds, annual))
    notes = "; ".join(f"{c}: {ANNUAL_COLUMNS[c]}" for c in annual.columns)
    console.print(notes, style="dim", highlight=False)
