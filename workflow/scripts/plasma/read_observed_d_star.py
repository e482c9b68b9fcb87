"""Rule read_observed_d_star: a user's CSV of D*(kappa, Gamma) in the layout of results/plasma/diffusion.nc."""

from kineticflow.core.io import logged, write_dataset, write_text
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    ds, provenance = steps.read_observed_d_star(snakemake.input[0])
    print(provenance.to_string(index=False))
    write_dataset(ds, snakemake.output.nc, source="a user's D* table", allow_nonfinite=list(ds.data_vars))
    write_text(provenance.to_csv(index=False), snakemake.output.provenance)
