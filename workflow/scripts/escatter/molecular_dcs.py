"""Rule molecular_dcs: IAM, IAM-SCAR, IAM-SCAR+I and rotational Born DCS/ICS of the molecule."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.escatter.molecule import read_xyz
from kineticflow.escatter.theory import molecular_dcs

with logged(snakemake.log[0]):
    p = snakemake.params
    atoms = {}
    for path in snakemake.input.atoms:
        ds = read_dataset(path)
        atoms[ds.attrs["element"]] = ds
    geom = read_xyz(snakemake.input.molecule)
    out = molecular_dcs(
        atoms,
        geom,
        dipole_debye=p.dipole_debye,
        temperature_k=p.temperature_k,
        interference=p.interference,
    )
    write_dataset(out, snakemake.output[0], source=snakemake.input.molecule)
