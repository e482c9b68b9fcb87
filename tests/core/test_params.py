"""Parameter dataclasses survive the trip through a rule's params: as plain dicts."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kineticflow.core.params import Section, rebuild


@dataclass(frozen=True)
class Inner(Section):
    x: float
    label: str = "a"


@dataclass(frozen=True)
class Outer(Section):
    inner: Inner
    items: tuple[Inner, ...]
    pair: tuple[float, float] = (0.0, 1.0)


@dataclass(frozen=True)
class Params:
    outer: Outer
    seed: int


def test_nested_sections_and_tuples_of_them_are_rebuilt():
    o = Outer(Inner(1.0), (Inner(2.0, "b"), Inner(3.0)), (4.0, 5.0))
    back = Outer.from_dict(asdict(o))
    assert back == o
    assert isinstance(back.items[0], Inner) and back.items[0].label == "b"


def test_rebuild_takes_the_types_from_the_params_fields_and_passes_the_rest():
    o = Outer(Inner(1.0), ())
    p = rebuild({"outer": asdict(o), "seed": 3, "tracked": (("a", 1, 2),)}, Params)
    assert p["outer"] == o and p["seed"] == 3 and p["tracked"] == (("a", 1, 2),)


def test_the_dict_form_is_what_snakemake_can_record():
    """Snakemake ignores dataclass params when deciding reruns; their asdict form is a plain dict."""
    d = asdict(Outer(Inner(1.0), (Inner(2.0),)))
    assert isinstance(d, dict) and eval(repr(d)) == d  # noqa: S307 - repr round trip of literals
