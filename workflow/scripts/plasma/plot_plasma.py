"""Rule plot_plasma: D*(Gamma) with both fitted models, kinetic theory and the MD/model ratio (plasma paper Fig. 1)."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input.diffusion, required=["d_star", "d_star_stderr"], dims=["kappa", "gamma"])
    fits = read_dataset(snakemake.input.fits, required=["alpha", "C", "A", "B"], dims=["kappa"])
    theory = read_dataset(snakemake.input.theory, required=["d_star_ce", "d_star_ce_curve"], dims=["kappa"])
    save(steps.plot_plasma(d, fits, theory, float(snakemake.wildcards.kappa)), snakemake.output[0])
