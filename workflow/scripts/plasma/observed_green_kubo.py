"""Rule observed_green_kubo: D* with its error from a user's VACF, by the green_kubo rule's code."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.plasma import steps
from kineticflow.plasma.config import GreenKuboSettings

with logged(snakemake.log[0]):
    run = read_dataset(snakemake.input[0], required=["vacf", "vacf_block", "msd"], dims=["lag"])
    ds = steps.observed_green_kubo(run, GreenKuboSettings(**snakemake.params.green_kubo))
    print(ds[["d_star", "d_star_stderr", "d_star_msd"]].to_dataframe().dropna().to_string())
    write_dataset(ds, snakemake.output[0], source="Green-Kubo D = (1/3) int <v(t).v(0)> dt of a user's velocities",
                  params={"green_kubo": snakemake.params.green_kubo}, allow_nonfinite=list(ds.data_vars))  # fmt: skip
