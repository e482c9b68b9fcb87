"""write_dataset refuses a variable whose dimension or unit is not registered (core.attrs)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from kineticflow.core.attrs import UnregisteredError, coord, variable
from kineticflow.core.io import read_dataset, write_dataset


def _good() -> xr.Dataset:
    q = np.linspace(0.5, 7.0, 4)
    return xr.Dataset(
        {"delta_s": variable(np.sin(q), "q", units="electrons^2", long_name="difference signal")},
        coords={"q": coord("q", q)},
    )


def test_registered_dataset_is_written_and_read_back(tmp_path):
    path = write_dataset(_good(), tmp_path / "ok.nc")
    back = read_dataset(path, required=["delta_s"], dims=["q"])
    assert back["delta_s"].attrs["units"] == "electrons^2"
    assert back["q"].attrs["units"] == "1/angstrom"
    np.testing.assert_array_equal(back["delta_s"].values, _good()["delta_s"].values)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda ds: ds["delta_s"].attrs.update(units="1e-20 m2"), "delta_s: units '1e-20 m2'"),
        (lambda ds: ds["delta_s"].attrs.pop("units"), "delta_s: units None"),
        (lambda ds: ds["q"].attrs.update(units="A-1"), "q: units 'A-1'"),
    ],
)
def test_unregistered_unit_is_refused_in_one_line_and_nothing_is_written(tmp_path, change, named):
    ds = _good()
    change(ds)
    target = tmp_path / "bad.nc"
    with pytest.raises(UnregisteredError) as err:
        write_dataset(ds, target)
    msg = str(err.value)
    assert msg.startswith(f"{target}: {named}") and "\n" not in msg
    assert not target.exists() and not list(tmp_path.iterdir())


def test_unregistered_dimension_is_refused_and_the_old_file_kept(tmp_path):
    target = write_dataset(_good(), tmp_path / "out.nc")
    before = target.read_bytes()
    ds = _good().rename({"q": "momentum_transfer"})
    with pytest.raises(UnregisteredError, match=r"dimension\(s\) \['momentum_transfer'\] not in .*DIMS") as err:
        write_dataset(ds, target)
    assert "(and 1 more)" in str(err.value)  # the coordinate and the variable both use it
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.nc"]
