"""Rule plot_mixtures: D1, D2, D12 vs Gamma of one mixture with the Eq. 5/6 fits and Table II (plasma paper Fig. 2)."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input.diffusion, required=["d_1", "d_2", "d_12"], dims=["mixture", "gamma"])
    fits = read_dataset(snakemake.input.fits, required=["alpha", "c_prime", "A", "B"], dims=["mixture", "species"])
    save(steps.plot_mixtures(d, fits, snakemake.wildcards.mixture), snakemake.output[0])
