"""Rule plot_plasma: D*(Gamma) with both fitted models and the MD/model ratio (plasma paper Fig. 1)."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.plasma.plots import plot_d_star

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input.diffusion, required=["d_star", "d_star_err"], dims=["kappa", "gamma"])
    fits = read_dataset(snakemake.input.fits, required=["alpha", "C", "A", "B"], dims=["kappa"])
    save(plot_d_star(d, fits, float(snakemake.wildcards.kappa)), snakemake.output[0])
