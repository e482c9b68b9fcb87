"""The ``plasma`` config section: cross-key checks and the rules' parameters (the one place besides the schema that knows its nesting).

``plasma`` holds the OCP / Yukawa OCP keys (``runs``, ``seeds``, ``md``, ``green_kubo``, ``fits``)
and ``plasma.mixtures``, the binary mixtures (``enabled``, ``gammas``, ``seeds``, ``mixtures``,
``md``, ``fits``); keys and units in ``config/README.md``. :func:`check` delegates to
:func:`kineticflow.plasma.ocp.config.check_ocp` and
:func:`kineticflow.plasma.mixtures.config.check_mixtures`; :class:`Params` is what
``workflow/rules/plasma.smk`` builds the rules' ``params`` from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.plasma.mixtures.config import check_mixtures, mixture_md
from kineticflow.plasma.ocp.config import (
    RESOURCE_KEYS,
    FitSettings,
    GreenKuboSettings,
    check_ocp,
    kappa_md,
    md_physics,
)

__all__ = [
    "RESOURCE_KEYS",
    "FitSettings",
    "GreenKuboSettings",
    "Params",
    "check",
    "check_plasma",
    "kappa_md",
    "md_physics",
    "mixture_md",
]


def check_plasma(plasma: Mapping[str, Any]) -> None:
    """Check the whole ``plasma`` section (defaults already filled in): the OCP keys and ``plasma.mixtures``.

    Parameters
    ----------
    plasma : mapping
        The ``plasma`` config section.

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range: no run and no observation,
        (:func:`~kineticflow.plasma.ocp.config.check_ocp`,
        :func:`~kineticflow.plasma.mixtures.config.check_mixtures`).
    """
    if not plasma.get("runs") and not plasma.get("observations"):
        raise ConfigError(
            f"config key 'plasma.runs' = {plasma.get('runs')} runs nothing; "
            "allowed: at least one {kappa, gammas} run, or [] with plasma.observations configured"
        )
    check_ocp(plasma)
    if "mixtures" in plasma:
        check_mixtures(plasma["mixtures"], plasma.get("md"))


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """The branch's config check as :mod:`kineticflow.branches` calls it (``config``: the whole config).

    Parameters
    ----------
    section : mapping
        The ``plasma`` section.
    config : mapping
        The whole config (unused: the branch's keys are all inside ``plasma``).
    workdir : path
        Folder relative paths resolve to (the files of ``plasma.observations``).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range, or a bad observation file (the file, the
        variable and what was expected), before any job runs.
    """
    from kineticflow.plasma.observed import check_observations  # noqa: PLC0415 - readers only when checking

    check_plasma(section)
    check_observations(section, workdir)


@dataclass(frozen=True)
class Params:
    """Everything the plasma rules take from the config, resolved (defaults filled in, overrides merged).

    Attributes
    ----------
    md : dict of float to dict
        Physics MD settings per κ (``plasma.md`` with the ``plasma.runs`` entry's overrides,
        without ``threads``/``runtime_min``): the ``simulate_md`` params.
    mixture_md : dict
        Physics MD settings of the mixture runs (``plasma.mixtures.md`` over ``plasma.md``).
    green_kubo : GreenKuboSettings
        ``plasma.green_kubo``.
    fits : FitSettings
        ``plasma.fits``.
    mixture_fits : FitSettings
        ``plasma.mixtures.fits``.
    """

    md: dict[float, dict[str, Any]]
    mixture_md: dict[str, Any]
    green_kubo: GreenKuboSettings
    fits: FitSettings
    mixture_fits: FitSettings

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> Params:
        """From the ``plasma`` section (defaults filled in by the schema)."""
        mixtures = section.get("mixtures", {})
        return cls(
            md={float(r["kappa"]): md_physics(kappa_md(section, float(r["kappa"]))) for r in section["runs"]},
            mixture_md=md_physics(mixture_md(mixtures.get("md", {}), section["md"])),
            green_kubo=GreenKuboSettings.from_config(section["green_kubo"]),
            fits=FitSettings.from_config(section["fits"]),
            mixture_fits=FitSettings.from_config(mixtures.get("fits", section["fits"])),
        )

    @staticmethod
    def rule_param(settings: GreenKuboSettings | FitSettings) -> dict[str, Any]:
        """A settings dataclass as a rule's ``params`` value: a plain dict, so Snakemake sees a change.

        (Snakemake compares only builtin types when deciding whether params changed; the script
        rebuilds the dataclass with ``FitSettings(**params)``.)
        """
        return asdict(settings)
