"""What a branch shows in the report: its tables, headline rows and the files the summary waits for.

Each branch's ``targets.py`` returns one :class:`BranchReport` from ``report(config)``, beside
``targets(config)`` (every result file of the branch, ``[]`` when it is switched off). The
workflow (``workflow/rules/common.smk``) collects them through :mod:`kineticflow.branches`; no
registry is filled by include order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Headline:
    """Rows and columns of a result CSV shown on the report's first page.

    Attributes
    ----------
    title : str
        Heading of the table.
    csv : str
        Result CSV, relative to the working directory.
    query : str
        pandas query selecting the rows (``""``: all rows).
    columns : tuple of str
        Columns shown (``()``: all columns).
    """

    title: str
    csv: str
    query: str = ""
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class BranchReport:
    """A branch's part of the report.

    Attributes
    ----------
    category : str
        Report category of the branch's figures and tables (e.g. ``"TRXS"``).
    tables : mapping of str to str
        ``{table name: CSV}``; each becomes ``results/tables/{category}/{name}.html``.
    headlines : tuple of Headline
        Headline tables of the first page, in order.
    inputs : tuple of str
        Files the run summary waits for (normally every target of the branch).
    """

    category: str
    tables: Mapping[str, str] = field(default_factory=dict)
    headlines: tuple[Headline, ...] = ()
    inputs: tuple[str, ...] = ()


def enabled(config: Mapping[str, Any], section: str) -> bool:
    """Whether the config section of a branch is switched on (its ``enabled`` key, default off)."""
    return bool(config.get(section, {}).get("enabled", False))


def table_targets(reports: Iterable[BranchReport]) -> list[str]:
    """``results/tables/{category}/{name}.html`` of every table of every branch report."""
    return [f"results/tables/{r.category}/{name}.html" for r in reports for name in r.tables]


def report_targets(reports: Iterable[BranchReport]) -> list[str]:
    """Every file of the report rules: the HTML tables, the run summary and the benchmark table."""
    return table_targets(reports) + ["results/summary.html", "results/benchmarks.csv"]


def table_csv(reports: Iterable[BranchReport], category: str, name: str) -> str:
    """The CSV behind the report table ``name`` of ``category``.

    Raises
    ------
    KeyError
        No branch report has that category and table.
    """
    for r in reports:
        if r.category == category and name in r.tables:
            return r.tables[name]
    raise KeyError(f"no report table {name!r} in category {category!r}")


def headline_spec(reports: Iterable[BranchReport]) -> dict[str, list[Any]]:
    """``{title: [csv, query, columns]}`` of every headline, the form the summary rule reads."""
    return {h.title: [h.csv, h.query, list(h.columns)] for r in reports for h in r.headlines}


def fmt(x: float) -> str:
    """Format a number for a wildcard or file name: ``100.0 -> '100'``, ``0.2 -> '0.2'``.

    Examples
    --------
    >>> fmt(100.0), fmt(0.2)
    ('100', '0.2')
    """
    return f"{float(x):g}"
