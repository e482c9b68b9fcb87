"""Rule simulate_flare: true P0, F20, v and spectra of every pixel at its own exposure time."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.halpha import steps
from kineticflow.halpha.config import from_params, to_attrs

with logged(snakemake.log[0]):
    p = from_params(snakemake.params)
    ds = steps.simulate_flare(read_dataset(snakemake.input[0]), **p)
    write_dataset(ds, snakemake.output[0], params=to_attrs(p))
