"""Rule svd_observation: noise-weighted SVD of ΔS/σ of one observation, and its table."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.trxs import steps

with logged(snakemake.log[0]):
    obs = read_dataset(snakemake.input[0], required=["delta_s", "sigma"], dims=["q", "tau"])
    svd, table = steps.svd_observation(obs, float(snakemake.params.level))
    print(f"{int(svd['n_significant'])} component(s) above the noise (threshold {float(svd['threshold']):.4g})")
    write_dataset(svd, snakemake.output.nc)
    write_text(table, snakemake.output.csv)
