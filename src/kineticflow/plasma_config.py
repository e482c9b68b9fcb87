"""Cross-key checks of the ``plasma`` config section (filled in with the plasma branch)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def check_plasma(plasma: Mapping[str, Any]) -> None:
    """Checks of the ``plasma`` section that a JSON Schema cannot express (none yet)."""
    return None
