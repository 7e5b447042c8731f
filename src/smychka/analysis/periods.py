"""Record periods as spans of months, and the window calibration may see.

Months are absolute (year*12 + month-1), as in `core.calendar`. A period is an agricultural
year ("1926/27", July-June), an economic year (October-September), a calendar year ("1926"),
a span of such years ("1926-1929"), a date ("1929-01-01") or months ("1927-11/1927-12").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.calendar import parse_month

CALIBRATION_END = {"ag_year": "1929-06", "econ_year": "1929-06"}  # otherwise 1929-12
CALIBRATION_END_DEFAULT = "1929-12"



@dataclass(frozen=True)
class Period:
    """A record period as absolute months (year*12 + month-1), both ends included."""

    first: int
    last: int
    parts: tuple["Period", ...] = ()   # the years of an "A-B" span
    date_day: int = 0                  # for a date: its day of month (first = last = its month)

    def shift(self, months: int) -> "Period":
        return Period(self.first + months, self.last + months)


_START_MONTH = {"ag_year": 6, "econ_year": 9, "calendar_year": 0}


def _year_period(label: str, kind: str) -> Period:
    first = int(label[:4]) * 12 + _START_MONTH[kind]
    return Period(first, first + 11)


def parse_period(period: str, period_type: str) -> Period:
    """'1926/27' (ag or econ year), '1926' (calendar), 'A-B' (a span of those years),
    '1929-01-01' (a date), '1927-11/1927-12' or '1927-10' (months)."""
    period = str(period).strip()
    if period_type == "date":
        y, m, d = (int(x) for x in period.split("-"))
        a = y * 12 + m - 1
        return Period(a, a, date_day=d)
    if period_type == "months":
        a, _, b = period.partition("/")
        return Period(parse_month(a), parse_month(b or a))
    if re.fullmatch(r"\d{4}(/\d{2})?-\d{4}(/\d{2})?", period):
        a, b = period.split("-")
        parts = tuple(_year_period(str(y), period_type)
                      for y in range(int(a[:4]), int(b[:4]) + 1))
        return Period(parts[0].first, parts[-1].last, parts)
    return _year_period(period, period_type)


def in_calibration_window(period: str, period_type: str) -> bool:
    """Periods the calibration may see: agricultural and economic years ending by June 1929,
    other periods ending by December 1929."""
    end = CALIBRATION_END.get(period_type, CALIBRATION_END_DEFAULT)
    return parse_period(period, period_type).last <= parse_month(end)
