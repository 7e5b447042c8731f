"""The run report: tables by agricultural year, figures, report.md and the console summary.

    from smychka.report import write_report, print_summary
    write_report(ds, "runs/history")   # runs/history/report.md and runs/history/figures/*.png
    print_summary(ds)
"""
from .balance import BalanceCheck, check_balance
from .figures import FIGURES, make_figures
from .markdown import write_report
from .summary import print_summary, summary_table
from .tables import annual_table, by_stratum_table

__all__ = ["write_report", "print_summary", "summary_table", "annual_table", "by_stratum_table",
           "check_balance", "BalanceCheck", "make_figures", "FIGURES"]
