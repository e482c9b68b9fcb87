"""Figures of the plasma branch: datasets in, matplotlib figures out (no file is read or written here).

The OCP / Yukawa OCP figures (plasma paper Fig. 1 and its insets) are in
:mod:`kineticflow.plasma.ocp.plots`, the mixture figures (Fig. 2, Table II; Fig. 3) in
:mod:`kineticflow.plasma.mixtures.plots`; the plot steps (:mod:`kineticflow.plasma.steps`) call
them and the scripts save them with :func:`kineticflow.core.plotting.save`.
"""

from kineticflow.plasma.mixtures.plots import plot_impurity, plot_mixture
from kineticflow.plasma.ocp.plots import plot_collision_frequency, plot_d_star, plot_d_star_all_kappa

__all__ = ["plot_collision_frequency", "plot_d_star", "plot_d_star_all_kappa", "plot_impurity", "plot_mixture"]
