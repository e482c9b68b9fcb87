"""Plasma: self-diffusion in Coulomb and Yukawa one-component plasmas and in binary ionic mixtures.

J. Daligault, *Diffusion in ionic mixtures across coupling regimes*, Phys. Rev. Lett. **108**,
225004 (2012) ("the plasma paper"): LAMMPS molecular dynamics of the one-component plasma (OCP),
the Yukawa OCP and binary ionic mixtures; the self-diffusion coefficient from the Green–Kubo
integral of the velocity autocorrelation; the generalised Chapman–Spitzer (Eq. 2) and Eyring
(Eq. 4) models fitted across coupling beside Table I, the per-species Eqs 5–6 and Table II of the
mixtures, weak-coupling kinetic theory, the collision frequency and trace impurities. The branch's
contract is :mod:`~kineticflow.plasma.steps` (one function per rule), :mod:`~kineticflow.plasma.config`,
:mod:`~kineticflow.plasma.targets`, :mod:`~kineticflow.plasma.plots` and
:mod:`~kineticflow.plasma.instrument` (the sampled trajectory); they delegate to
:mod:`~kineticflow.plasma.ocp` and :mod:`~kineticflow.plasma.mixtures`, which mirror each other over
the shared MD engine :mod:`~kineticflow.plasma.md`. Physics notes: ``docs/plasma.md``.
"""
