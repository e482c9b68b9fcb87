"""Rule observe_slit_scan: slit function, seeing and photon noise applied to the true flare."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.halpha import steps
from kineticflow.halpha.config import from_params, to_attrs

with logged(snakemake.log[0]):
    p = from_params(snakemake.params)
    ds = steps.observe_slit_scan(read_dataset(snakemake.input[0]), **p)
    write_dataset(ds, snakemake.output[0], params=to_attrs(p))
