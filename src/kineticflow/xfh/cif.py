"""Cubic crystals for XFH from a CIF file: cell, space group and atom sites, the supported groups stated.

The XFH analysis symmetrises the hologram with the 48 operations of m-3m about the emitter and
groups reflections into m-3m families (:mod:`kineticflow.xfh.processing`,
:mod:`kineticflow.xfh.phases`), and :mod:`kineticflow.xfh.crystals` builds the lattice from a
cubic cell with centring translations. So a crystal is supported when its space group is one of
the symmorphic cubic groups of point group m-3m, Pm-3m (221), Im-3m (229) and Fm-3m (225), and
the emitter sits on a site of full m-3m symmetry (it is put at the origin). The built-in
crystals are of this kind: V (bcc, Im-3m) and PbSe (rock salt, Fm-3m). Any other group, a
non-cubic cell or partial occupancy is refused in one line.

The reader is minimal (International Tables for Crystallography Vol. G, the CIF 1.1 syntax it
needs): the first data block; ``_cell_length_a/b/c``, ``_cell_angle_alpha/beta/gamma``;
``_space_group_IT_number`` (or ``_symmetry_Int_Tables_number``) and/or
``_space_group_name_H-M_alt`` (or ``_symmetry_space_group_name_H-M``); the ``_atom_site_`` loop
(``type_symbol`` or ``label``, ``fract_x/y/z``, optional ``occupancy``). Standard uncertainties
``3.03(1)`` are dropped. Symmetry-operation loops are not read: the positions are generated from
the group (the 48 signed permutations and the centring translations, exact for these
symmorphic groups in their standard setting).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from kineticflow.core.io import observation_error
from kineticflow.xfh.crystals import Crystal
from kineticflow.xfh.processing import point_group_m3m

#: International Tables number → Hermann–Mauguin symbol of the space groups the branch handles.
SUPPORTED_SPACE_GROUPS = {221: "P m -3 m", 225: "F m -3 m", 229: "I m -3 m"}
#: Space group of each built-in crystal (:data:`kineticflow.xfh.crystals.KNOWN_CRYSTALS`).
BUILTIN_SPACE_GROUPS = {"V": 229, "PbSe": 225}
#: Centring translations (fractional) of each supported group; (0, 0, 0) first.
CENTRING: dict[int, tuple[tuple[float, float, float], ...]] = {
    221: ((0.0, 0.0, 0.0),),
    225: ((0.0, 0.0, 0.0), (0.0, 0.5, 0.5), (0.5, 0.0, 0.5), (0.5, 0.5, 0.0)),
    229: ((0.0, 0.0, 0.0), (0.5, 0.5, 0.5)),
}
_HM = {"pm-3m": 221, "pm3m": 221, "p4/m-32/m": 221, "fm-3m": 225, "fm3m": 225, "f4/m-32/m": 225,
       "im-3m": 229, "im3m": 229, "i4/m-32/m": 229}  # fmt: skip
_SUPPORTED = ", ".join(f"{n} {s.replace(' ', '')}" for n, s in SUPPORTED_SPACE_GROUPS.items())
_TOKEN = re.compile(r"'[^']*'|\"[^\"]*\"|\S+")


def _tokens(text: str) -> list[str]:
    """CIF tokens: quoted strings unquoted, ``;`` text fields as one token, comments dropped."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(";"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith(";"):
                j += 1
            out.append("\n".join([line[1:], *lines[i + 1 : j]]))
            i = j + 1
            continue
        for tok in _TOKEN.findall(line):
            if tok.startswith("#"):
                break
            out.append(tok[1:-1] if tok[0] in "'\"" and len(tok) > 1 else tok)
        i += 1
    return out


def parse_cif(text: str) -> tuple[str, dict[str, str], list[dict[str, list[str]]]]:
    """The first data block of a CIF: its name, single-valued tags and loops.

    Parameters
    ----------
    text : str
        CIF text.

    Returns
    -------
    name : str
        The block name (after ``data_``).
    tags : dict
        Lower-case tag → value.
    loops : list of dict
        Each loop as lower-case tag → column of values.
    """
    toks = _tokens(text)
    name, tags, loops = "", {}, []
    i = 0
    while i < len(toks):
        tok = toks[i]
        low = tok.lower()
        if low.startswith("data_"):
            if name:
                break
            name, i = tok[5:], i + 1
        elif low == "loop_":
            j = i + 1
            heads = []
            while j < len(toks) and toks[j].startswith("_"):
                heads.append(toks[j].lower())
                j += 1
            k = j
            while k < len(toks) and not toks[k].startswith("_") and toks[k].lower() not in ("loop_",):
                if toks[k].lower().startswith("data_"):
                    break
                k += 1
            vals = toks[j:k]
            loops.append({h: vals[n :: len(heads)] for n, h in enumerate(heads)} if heads else {})
            i = k
        elif tok.startswith("_") and i + 1 < len(toks):
            tags[low], i = toks[i + 1], i + 2
        else:
            i += 1
    return name, tags, loops


def _number(path: Path, tag: str, value: str) -> float:
    """A CIF number without its standard uncertainty, ``3.03(1)`` → 3.03."""
    try:
        return float(re.sub(r"\(\d+\)$", "", value.strip()))
    except ValueError:
        raise observation_error(path, tag, f"{value!r} is not a number", "a number such as 3.03 or 3.03(1)") from None


def _space_group(path: Path, tags: dict[str, str]) -> int:
    """The IT number from the number and/or H-M tags, refused unless supported."""
    num = tags.get("_space_group_it_number", tags.get("_symmetry_int_tables_number"))
    hm = tags.get("_space_group_name_h-m_alt", tags.get("_symmetry_space_group_name_h-m"))
    from_hm = _HM.get(re.sub(r"[\s_]", "", hm).lower()) if hm else None
    if num is None and hm is None:
        raise observation_error(path, "_space_group_IT_number", "missing (and no H-M symbol)", f"one of {_SUPPORTED}")
    n = int(_number(path, "_space_group_IT_number", num)) if num is not None else from_hm
    if n not in SUPPORTED_SPACE_GROUPS or (hm is not None and from_hm != n):
        what = f"{num or '?'} ({hm or '?'})"
        raise observation_error(path, "space group", f"{what} is not supported", f"one of {_SUPPORTED} (cubic, point group "
                   "m-3m, symmorphic: the symmetrisation and the reflection families assume m-3m)")  # fmt: skip
    return n


def _cubic_a(path: Path, tags: dict[str, str]) -> float:
    """The lattice constant a, Å; refuses a non-cubic cell."""
    cell = {}
    for key in ("a", "b", "c", "alpha", "beta", "gamma"):
        tag = f"_cell_{'length' if len(key) == 1 else 'angle'}_{key}"
        if tag not in tags:
            raise observation_error(path, tag, "missing", "a cubic cell: a = b = c, alpha = beta = gamma = 90")
        cell[key] = _number(path, tag, tags[tag])
    a = cell["a"]
    for key in ("b", "c"):
        if not (a > 0 and abs(cell[key] / a - 1) < 1e-6):
            raise observation_error(
                path, f"_cell_length_{key}", f"{cell[key]:g} != a = {a:g}", f"a cubic cell ({_SUPPORTED})"
            )
    for key in ("alpha", "beta", "gamma"):
        if abs(cell[key] - 90) > 1e-4:
            raise observation_error(
                path, f"_cell_angle_{key}", f"{cell[key]:g}", f"90 degrees (a cubic cell: {_SUPPORTED})"
            )
    return a


def _element(symbol: str) -> str:
    """Element symbol of a type symbol or label: ``Pb2+`` → ``Pb``, ``Se1`` → ``Se``."""
    m = re.match(r"[A-Z][a-z]?", symbol.strip())
    return m.group(0) if m else symbol


def _sites(path: Path, loops: list[dict[str, list[str]]]) -> list[tuple[str, NDArray[np.float64]]]:
    """(element, fractional position) of each row of the ``_atom_site_`` loop."""
    loop = next((lp for lp in loops if "_atom_site_fract_x" in lp), None)
    if loop is None:
        raise observation_error(
            path, "_atom_site_fract_x", "no atom-site loop", "a loop of _atom_site_ with fract_x/y/z"
        )
    names = loop.get("_atom_site_type_symbol", loop.get("_atom_site_label"))
    if names is None:
        raise observation_error(path, "_atom_site_type_symbol", "missing (and no _atom_site_label)", "element symbols")
    out = []
    for i, sym in enumerate(names):
        occ = loop.get("_atom_site_occupancy")
        if occ is not None and abs(_number(path, "_atom_site_occupancy", occ[i]) - 1) > 1e-6:
            raise observation_error(
                path, "_atom_site_occupancy", f"{occ[i]} at site {sym}", "full occupancy 1 (ordered crystal)"
            )
        xyz = [_number(path, f"_atom_site_fract_{c}", loop[f"_atom_site_fract_{c}"][i]) for c in "xyz"]
        out.append((_element(sym), np.array(xyz)))
    return out


def _orbit(r: NDArray[np.float64], centring: tuple[tuple[float, float, float], ...]) -> NDArray[np.float64]:
    """Every image of a fractional position under m-3m and the centring, in [0, 1), sorted."""
    imgs = (point_group_m3m() @ r)[:, None, :] + np.asarray(centring)[None, :, :]
    imgs = np.round(np.mod(imgs.reshape(-1, 3), 1.0), 9) % 1.0
    return np.unique(imgs, axis=0)


def _full_symmetry(r: NDArray[np.float64], centring: tuple[tuple[float, float, float], ...]) -> bool:
    """Whether g·r − r is a lattice translation for every g of m-3m (site symmetry m-3m)."""
    d = point_group_m3m() @ r - r
    t = np.asarray(centring)
    off = d[:, None, :] - t[None, :, :]
    return bool(np.all(np.any(np.all(np.isclose(off, np.round(off), atol=1e-9), axis=2), axis=1)))


def crystal_from_cif(path: str | os.PathLike[str], emitter: str | None = None, name: str | None = None) -> Crystal:
    """A :class:`kineticflow.xfh.crystals.Crystal` from a CIF file, emitter at the origin.

    Parameters
    ----------
    path : str or path
        The CIF file.
    emitter : str, optional
        Element symbol of the emitting atom; default the only element of a one-element crystal.
    name : str, optional
        Crystal label; default the CIF block name.

    Returns
    -------
    Crystal
        Lattice constant a (Å), every atom of the conventional cell (emitter's element first,
        fractional positions shifted so that an emitter is at the origin) and the centring.

    Raises
    ------
    ObservationError
        One line naming the file and the tag: a non-cubic cell, a space group other than
        Pm-3m (221), Im-3m (229), Fm-3m (225), partial occupancy, a missing tag, an emitter not
        in the structure or not on a site of m-3m symmetry.
    """
    path = Path(path)
    block, tags, loops = parse_cif(path.read_text(encoding="utf-8", errors="replace"))
    group = _space_group(path, tags)
    a = _cubic_a(path, tags)
    sites = _sites(path, loops)
    elements = list(dict.fromkeys(el for el, _ in sites))
    emitter = emitter or (elements[0] if len(elements) == 1 else None)
    if emitter not in elements:
        raise observation_error(
            path, "_atom_site_type_symbol", f"emitter {emitter!r} not among {elements}", "the emitter's element"
        )
    centring = CENTRING[group]
    origin = next((r for el, r in sites if el == emitter and _full_symmetry(r, centring)), None)
    if origin is None:
        raise observation_error(
            path, "_atom_site_fract_x", f"no {emitter} site of m-3m symmetry", "the emitter on such a site"
        )
    order = [emitter] + [el for el in elements if el != emitter]
    cell: list[tuple[str, tuple[float, float, float]]] = []
    for el in order:
        pos = np.vstack([_orbit(np.mod(r - origin, 1.0), centring) for e, r in sites if e == el])
        cell += [(el, (float(p[0]), float(p[1]), float(p[2]))) for p in np.unique(pos, axis=0)]
    return Crystal(name or block or path.stem, float(a), emitter, tuple(cell), centring)


def write_cif(crystal: Crystal, space_group: int, path: str | os.PathLike[str]) -> Path:
    """Write a crystal as a CIF (every atom of the conventional cell listed; for tests and examples).

    Parameters
    ----------
    crystal : Crystal
    space_group : int
        Its International Tables number.
    path : str or path
        Target file.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    hm = SUPPORTED_SPACE_GROUPS.get(space_group, "?")
    lines = [f"data_{crystal.name}", f"_cell_length_a {crystal.a:.10g}", f"_cell_length_b {crystal.a:.10g}",
             f"_cell_length_c {crystal.a:.10g}", "_cell_angle_alpha 90", "_cell_angle_beta 90", "_cell_angle_gamma 90",
             f"_space_group_IT_number {space_group}", f"_space_group_name_H-M_alt '{hm}'", "loop_",
             "_atom_site_label", "_atom_site_type_symbol", "_atom_site_fract_x", "_atom_site_fract_y",
             "_atom_site_fract_z", "_atom_site_occupancy"]  # fmt: skip
    for i, (el, (x, y, z)) in enumerate(crystal.sites):
        lines.append(f"{el}{i + 1} {el} {x:.10g} {y:.10g} {z:.10g} 1.0")
    path.write_text("\n".join(lines) + "\n")
    return path
