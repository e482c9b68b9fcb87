"""Rule tabulate_halpha_observations: the provenance of every observation (file, SHA-256, reader)."""

import xarray as xr

from kineticflow.core.io import logged, write_text
from kineticflow.halpha import steps

with logged(snakemake.log[0]):
    inp, par = snakemake.input, snakemake.params
    # only the attributes are read: the files are opened lazily
    observed = {name: xr.open_dataset(path) for name, path in zip(par.names, inp.observed, strict=True)}
    hxr = {name: xr.open_dataset(path) for name, path in zip(par.hxr_names, inp.hxr, strict=True)}
    table = steps.tabulate_halpha_observations(observed, hxr)
    for ds in (*observed.values(), *hxr.values()):
        ds.close()
    write_text(table.to_csv(index=False), snakemake.output[0])
