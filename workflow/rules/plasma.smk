# Plasma branch: LAMMPS MD of the OCP and Yukawa OCP -> Green-Kubo D* -> model fits.
# Physics: SPEC.md "Branch 2"; plasma paper Eqs 1-4, Table I.


def plasma_targets():
    return []
