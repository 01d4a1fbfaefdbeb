"""Hypothesis profiles of the property tests: `make test` runs "default", `make fuzz` "fuzz".

Select with HYPOTHESIS_PROFILE; examples are derandomised in "default" so a failure in CI
is the same failure on a laptop, while "fuzz" explores new inputs every run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "database": None,
}
settings.register_profile("default", max_examples=150, derandomize=True, **_COMMON)
settings.register_profile("fuzz", max_examples=3000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
