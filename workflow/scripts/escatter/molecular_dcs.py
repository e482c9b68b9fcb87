"""Rule molecular_dcs: IAM, IAM-SCAR, IAM-SCAR+I and rotational Born DCS/ICS of the molecule."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.escatter import steps

with logged(snakemake.log[0]):
    atoms = [read_dataset(path) for path in snakemake.input.atoms]
    ds = steps.molecular_dcs(atoms, snakemake.input.molecule, **snakemake.params)
    write_dataset(ds, snakemake.output[0])
