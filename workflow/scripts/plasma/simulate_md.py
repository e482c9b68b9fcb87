"""Rule simulate_md: one LAMMPS run of the OCP / Yukawa OCP -> VACF, MSD, energies (plasma paper)."""

from pathlib import Path

from kineticflow.core.io import logged, write_dataset, write_text
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    w, out = snakemake.wildcards, snakemake.output
    ds = steps.simulate_md(float(w.kappa), float(w.gamma), int(w.seed), snakemake.params.md,
                           threads=snakemake.threads, workdir=Path(out.nc).parent)  # fmt: skip
    write_text(ds.attrs["lammps_input"], out.lammps_input)
    write_text(ds.attrs.pop("lammps_log"), out.lammps_log)
    print(
        f"{w}: T = {float(ds.temperature_mean):.5g}, drift = {float(ds.energy_drift):.3g} k_BT, "
        f"{ds.attrs['atom_steps_per_second']:.4g} atom-steps/s, {ds.attrs['wall_seconds']:.1f} s"
    )
    write_dataset(ds, out.nc, source="Daligault PRL 108, 225004 (2012): OCP/Yukawa MD (LAMMPS)",
                  params={"md": snakemake.params.md})  # fmt: skip
