"""Rule plot_observed_d_star: a user's D*(Gamma) of every kappa with the fits (as plot_d_star_all_kappa)."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input.diffusion, required=["d_star", "d_star_stderr"], dims=["kappa", "gamma"])
    fits = read_dataset(snakemake.input.fits, required=["alpha", "C", "A", "B", "gamma_m"], dims=["kappa"])
    save(steps.plot_observed_d_star(d, fits), snakemake.output[0])
