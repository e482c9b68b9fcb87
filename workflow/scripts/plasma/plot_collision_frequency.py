"""Rule plot_collision_frequency: nu/omega_p against Gamma (plasma paper Fig. 1, bottom-left inset)."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    nu = read_dataset(snakemake.input[0], required=["nu_md", "nu_model_fitted"], dims=["kappa", "gamma_grid"])
    save(steps.plot_collision_frequency(nu), snakemake.output[0])
