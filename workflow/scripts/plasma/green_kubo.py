"""Rule green_kubo: D*(kappa, Gamma) from the VACFs (Green-Kubo) with errors and the MSD check."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.plasma import steps
from kineticflow.plasma.config import GreenKuboSettings

with logged(snakemake.log[0]):
    runs = [read_dataset(f, required=["vacf", "vacf_block", "msd"], dims=["lag"]) for f in snakemake.input]
    ds = steps.green_kubo(runs, GreenKuboSettings(**snakemake.params.green_kubo))
    print(ds[["d_star", "d_star_stderr", "d_star_msd"]].to_dataframe().dropna().to_string())
    write_dataset(ds, snakemake.output[0], source="Green-Kubo D = (1/3) int <v(t).v(0)> dt; Einstein MSD check",
                  params={"green_kubo": snakemake.params.green_kubo}, allow_nonfinite=list(ds.data_vars))  # fmt: skip
