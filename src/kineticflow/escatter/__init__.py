"""e-scattering: elastic electron scattering from a polar molecule, measured DCS to integral cross section.

The branch reproduces the analysis of elastic electron scattering from isoflurane
(CF₃CHCl–O–CHF₂) at 50–300 eV, Phys. Chem. Chem. Phys. 26, 985 (2024): the measured absolute
differential cross sections of its Table 1 (:mod:`~kineticflow.escatter.observation`) are compared
with a theory built here — atomic optical potentials (:mod:`~kineticflow.escatter.potentials`,
:mod:`~kineticflow.escatter.absorption`) solved by partial waves
(:mod:`~kineticflow.escatter.partial_waves`), combined into the molecular IAM-SCAR+I DCS
(:mod:`~kineticflow.escatter.molecule`, :mod:`~kineticflow.escatter.theory`) plus rotational
excitation in the first Born approximation (:mod:`~kineticflow.escatter.rotation`) — seen through
the analyser's angular resolution (:mod:`~kineticflow.escatter.instrument`); the theory, scaled to
the data at each end of the measured range, extrapolates the DCS to 0–180° for the integral cross
section and its uncertainty budget (:mod:`~kineticflow.escatter.analysis`), beside the same with
each weighting of the interference terms (:mod:`~kineticflow.escatter.interference`). Rules:
``workflow/rules/escatter.smk`` (:mod:`~kineticflow.escatter.steps`,
:mod:`~kineticflow.escatter.targets`, :mod:`~kineticflow.escatter.config`); notes:
``docs/escatter.md``.
"""
