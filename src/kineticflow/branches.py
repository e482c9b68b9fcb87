"""The physics branches of kineticflow and their config checks: the one place that lists them.

Generic code (:mod:`kineticflow.core`, :mod:`kineticflow.config`) imports no branch; the workflow
(``workflow/rules/common.smk``) and the tests get each branch's cross-key checks from here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import partial
from typing import Any

from kineticflow.config import Check

#: Config sections in the order the Snakefile includes their rules.
SECTIONS = ("trxs", "plasma", "mixtures", "xfh", "halpha", "escatter")


def config_checks(workdir: str | os.PathLike[str] = ".") -> dict[str, Check]:
    """``{section: check(section_config, config)}`` for :func:`kineticflow.config.validate_config`.

    ``workdir`` is the folder relative paths in the config (a measured pulse profile) resolve to.
    """
    from kineticflow.escatter import config as escatter_config  # noqa: PLC0415 - imported on use
    from kineticflow.halpha import config as halpha_config
    from kineticflow.plasma import config as plasma_config
    from kineticflow.plasma import mixtures_config
    from kineticflow.trxs import config as trxs_config
    from kineticflow.xfh import config as xfh_config

    def plasma(section: Mapping[str, Any], config: Mapping[str, Any]) -> None:
        plasma_config.check_plasma(section)

    def mixtures(section: Mapping[str, Any], config: Mapping[str, Any]) -> None:
        mixtures_config.check_mixtures(section, config.get("plasma", {}).get("md"))

    def trxs(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str]) -> None:
        trxs_config.check_trxs(section, workdir)

    def escatter(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str]) -> None:
        escatter_config.check_escatter(section, workdir)

    def halpha(section: Mapping[str, Any], config: Mapping[str, Any]) -> None:
        halpha_config.check_halpha(section)

    def xfh(section: Mapping[str, Any], config: Mapping[str, Any]) -> None:
        xfh_config.check_xfh(section)

    return {
        "trxs": partial(trxs, workdir=workdir),
        "plasma": plasma,
        "mixtures": mixtures,
        "escatter": partial(escatter, workdir=workdir),
        "halpha": halpha,
        "xfh": xfh,
    }
