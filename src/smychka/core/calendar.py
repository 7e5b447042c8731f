"""The monthly calendar and the agricultural year (July-June).

Months are written "YYYY-MM". A run is a contiguous range of months; month index t counts
from the first month of the run. The agricultural year of a month is the year of the harvest
that opens it: July 1926 - June 1927 is agricultural year 1926 ("1926/27").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..errors import InputError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str, key: str = "month") -> int:
    """'1928-01' -> absolute month number (year*12 + month-1); InputError if malformed."""
    m = _MONTH.match(str(text).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(key, f"{text!r} is not a month", "YYYY-MM, e.g. 1928-01")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def format_month(absolute: int) -> str:
    return f"{absolute // 12:04d}-{absolute % 12 + 1:02d}"


def ag_year_of(absolute: int) -> int:
    """Agricultural year (harvest year) of an absolute month: Jul-Jun."""
    year, month0 = divmod(absolute, 12)
    return year if month0 >= 6 else year - 1


def ag_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Calendar:
    """The months of a run, from `start` to `end` inclusive."""

    start: int  # absolute month
    end: int

    @classmethod
    def from_strings(cls, start: str, end: str) -> "Calendar":
        s, e = parse_month(start, "start"), parse_month(end, "end")
        if e < s:
            raise InputError("end", f"{format_month(e)} is before start {format_month(s)}",
                             "a month at or after start")
        return cls(s, e)

    @property
    def n_months(self) -> int:
        return self.end - self.start + 1

    def absolute(self, t: int) -> int:
        return self.start + t

    def month_of_year(self, t: int) -> int:
        """Calendar month 1..12 of step t."""
        return (self.start + t) % 12 + 1

    def year(self, t: int) -> int:
        return (self.start + t) // 12

    def ag_year(self, t: int) -> int:
        return ag_year_of(self.start + t)

    def index_of(self, month: str, key: str = "month") -> int:
        """Step index of 'YYYY-MM'; InputError if it lies outside the run."""
        a = parse_month(month, key)
        if not self.start <= a <= self.end:
            raise InputError(key, f"{month} lies outside the run",
                             f"a month from {format_month(self.start)} to {format_month(self.end)}")
        return a - self.start

    def label(self, t: int) -> str:
        return format_month(self.start + t)

    def dates(self) -> np.ndarray:
        """First day of each month, as numpy datetime64[ns] (the dataset's time coordinate)."""
        return np.array([f"{format_month(self.start + t)}-01" for t in range(self.n_months)],
                        dtype="datetime64[ns]")
