"""The config of a run: recorded beside its results, read back by ``snakemake --report``.

``snakemake --report`` plans the report from the config it is given, not from the one the
results were made with. The rule ``run_config`` writes the run's config to
:data:`RUN_CONFIG`; :func:`report_preflight` compares the report's config with it and says in
one line what to pass when they differ.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: Where a run records its config (rule ``run_config``); ``snakemake --report`` reads it back.
RUN_CONFIG = "results/config.yaml"
_HEADER = "# kineticflow: "


@dataclass(frozen=True)
class RunConfig:
    """The config a run used, as recorded in :data:`RUN_CONFIG`."""

    config: dict[str, Any]
    sha256: str
    configfiles: tuple[str, ...]


def run_config_text(config: Mapping[str, Any], sha256: str, configfiles: Sequence[str]) -> str:
    """The run's config as YAML, with its digest and ``--configfile`` files in header comments.

    The body is the whole config after defaults were filled in, so the file is itself a valid
    config: ``--configfile results/config.yaml`` gives exactly the run's config.

    Parameters
    ----------
    config : mapping
        The validated config of the run.
    sha256 : str
        :func:`kineticflow.config.config_digest` of ``config``.
    configfiles : sequence of str
        The run's ``--configfile`` files (empty: the defaults alone).

    Returns
    -------
    str
        YAML text.
    """
    files = " ".join(configfiles) if configfiles else "(none: config/config.yaml alone)"
    head = [
        f"{_HEADER}the config of the run that made results/ (rule run_config); a valid config file.",
        f"{_HEADER}--configfile: {files}",
        f"{_HEADER}sha256: {sha256}",
    ]
    return "\n".join(head) + "\n" + yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True)


def read_run_config(path: str | os.PathLike[str]) -> RunConfig | None:
    """Read :func:`run_config_text` back; None if the file is missing or not such a record."""
    try:
        text = Path(path).read_text()
    except OSError:
        return None
    meta = {}
    for line in text.splitlines():
        if not line.startswith(_HEADER):
            break
        key, _, value = line[len(_HEADER) :].partition(": ")
        meta[key] = value
    if "sha256" not in meta:
        return None
    files = meta.get("--configfile", "")
    return RunConfig(
        config=yaml.safe_load(text) or {},
        sha256=meta["sha256"],
        configfiles=() if files.startswith("(none") else tuple(files.split()),
    )


def report_requested(argv: Sequence[str]) -> tuple[bool, str]:
    """Whether Snakemake was started to build a report (``--report FILE``), and the file.

    The Snakefile cannot otherwise tell, while it is parsed, that no job will run.
    ``--report-after-run`` (a report after the jobs) does not count.
    """
    for i, arg in enumerate(argv):
        if arg == "--report":
            return True, argv[i + 1] if i + 1 < len(argv) else "report.html"
        if arg.startswith("--report="):
            return True, arg.partition("=")[2]
    return False, ""


def report_preflight(
    needed: Iterable[str],
    sha256: str,
    configfiles: Sequence[str],
    report_file: str = "results/report.html",
    run_config: str | os.PathLike[str] = RUN_CONFIG,
) -> str | None:
    """One line saying why the report cannot be built from results/, or None if it can.

    ``snakemake --report`` plans the report from the config it is given; after a run with
    ``--configfile my.yaml`` without it, it looks for the default config's files and stops on
    the first missing one after a warning per file. This names the config the report was
    planned for, the config of the run in results/ (:data:`RUN_CONFIG`) and the command to use.

    Parameters
    ----------
    needed : iterable of str
        Every file the report shows or waits for.
    sha256 : str
        Digest of the config given to ``--report`` (:func:`kineticflow.config.config_digest`).
    configfiles : sequence of str
        The ``--configfile`` files given to ``--report``.
    report_file : str
        The report file asked for, for the suggested command.
    run_config : path
        The run's recorded config.

    Returns
    -------
    str or None
        The line (starting ``kineticflow:``), or None when every needed file exists.
    """
    needed = list(dict.fromkeys(needed))
    missing = [f for f in needed if not Path(f).exists()]
    if not missing:
        return None
    head = (
        f"kineticflow: no report: {len(missing)} of its {len(needed)} files are missing "
        f"(first: {missing[0]}): this report is for {_describe(configfiles)}"
    )
    run = read_run_config(run_config)
    if run is None:
        return (
            f"{head} and results/ holds no run of it ({run_config} is missing): run it first, or, if results/ "
            f"was made with --configfile, pass that file too: snakemake --report {report_file} --configfile my.yaml"
        )
    if run.sha256 == sha256:
        return f"{head}, the config of the unfinished run in results/: rerun the run's command (it resumes), then this"
    whole = f"--configfile {run_config}"
    if tuple(run.configfiles) == tuple(configfiles):
        return (
            f"{head}, but results/ holds a run of other values (a config file edited since, or --config): "
            f"snakemake --report {report_file} {whole} (that run's whole config)"
        )
    command = f"snakemake --report {report_file}" + (
        f" --configfile {' '.join(run.configfiles)}" if run.configfiles else ""
    )
    return (
        f"{head}, but results/ holds a run with {_describe(run.configfiles)}: use the run's config too: "
        f"{command} (or {whole}, that run's whole config)"
    )


def _describe(configfiles: Sequence[str]) -> str:
    return (
        f"--configfile {' '.join(configfiles)}" if configfiles else "the defaults (config/config.yaml, no --configfile)"
    )
