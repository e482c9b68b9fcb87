"""Rule observe_simulated: the simulated noisy measurement as the observation contract (the default observation)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs import steps

with logged(snakemake.log[0]):
    measured = read_dataset(snakemake.input[0], required=["delta_s_q"], dims=["tau", "q"])
    write_dataset(steps.observe_simulated(measured, snakemake.input[0]), snakemake.output[0])
