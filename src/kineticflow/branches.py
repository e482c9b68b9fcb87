"""The physics branches of kineticflow: the one place that lists them.

Generic code (:mod:`kineticflow.core`, :mod:`kineticflow.config`) imports no branch; the workflow
(``workflow/rules/common.smk``) and the tests reach every branch through this module. Each branch
package has the same skeleton (``docs/adding-a-branch.md``); what this module needs of it:

- ``<branch>.config.check(section, config, workdir)``: the cross-key checks of its config section;
- ``<branch>.targets.targets(config)`` and ``<branch>.targets.report(config)``: its result files
  and its part of the report (:class:`kineticflow.core.targets.BranchReport`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import partial
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from kineticflow.config import Check
from kineticflow.core.targets import BranchReport

#: Branch packages (and their config sections), in the order the Snakefile includes their rules.
BRANCHES = ("trxs", "plasma", "escatter", "halpha", "xfh")
#: Config sections with a cross-key check (a branch's section is named as the branch).
SECTIONS = BRANCHES


def branch_module(branch: str, module: str) -> ModuleType | None:
    """``kineticflow.<branch>.<module>``, or None if the branch has no such module."""
    name = f"kineticflow.{branch}.{module}"
    return import_module(name) if find_spec(name) is not None else None


def config_checks(workdir: str | os.PathLike[str] = ".") -> dict[str, Check]:
    """``{section: check(section_config, config)}`` for :func:`kineticflow.config.validate_config`.

    ``workdir`` is the folder relative paths in the config (data files, a measured pulse profile)
    resolve to.
    """
    checks: dict[str, Check] = {}
    for branch in BRANCHES:
        module = branch_module(branch, "config")
        if module is not None:
            checks[branch] = partial(module.check, workdir=workdir)
    return checks


def reports(config: Mapping[str, Any]) -> list[BranchReport]:
    """Each switched-on branch's :class:`BranchReport` (branches without ``targets.py`` skipped)."""
    out = []
    for branch in BRANCHES:
        module = branch_module(branch, "targets")
        if module is not None and config.get(branch, {}).get("enabled", False):
            out.append(module.report(config))
    return out


def all_targets(config: Mapping[str, Any]) -> list[str]:
    """Every result file of every switched-on branch (branches without ``targets.py`` skipped)."""
    out: list[str] = []
    for branch in BRANCHES:
        module = branch_module(branch, "targets")
        if module is not None:
            out += module.targets(config)
    return out
