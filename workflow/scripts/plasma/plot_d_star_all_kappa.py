"""Rule plot_d_star_all_kappa: D*(Gamma) of every kappa on one plot with the fits (plasma paper Fig. 1, top inset)."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input.diffusion, required=["d_star", "d_star_stderr"], dims=["kappa", "gamma"])
    fits = read_dataset(snakemake.input.fits, required=["alpha", "C", "A", "B", "gamma_m"], dims=["kappa"])
    save(steps.plot_d_star_all_kappa(d, fits), snakemake.output[0])
