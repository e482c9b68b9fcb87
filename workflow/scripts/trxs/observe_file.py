"""Rule observe_file: a user's file (text/CSV, HDF5/MATLAB v7.3, netCDF) read into the observation contract."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.trxs import steps
from kineticflow.trxs.config_observed import Reader

with logged(snakemake.log[0]):
    reader = Reader(**snakemake.params.reader)
    obs = steps.observe_file(snakemake.input[0], reader)
    print(
        f"{snakemake.wildcards.observation}: {obs.sizes['q']} q x {obs.sizes['tau']} delays, sha256 {obs.attrs['source_file_sha256']}"
    )
    write_dataset(obs, snakemake.output[0], params={"reader": snakemake.params.reader})
