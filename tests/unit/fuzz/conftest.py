"""Hypothesis profiles of the property tests: `make test` runs "default", `make fuzz` "fuzz".

Select with HYPOTHESIS_PROFILE; examples are derandomised in "default" so a failure in CI
is the same failure on a laptop, while "fuzz" explores new inputs every run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "base",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
settings.register_profile(
    "default", settings.get_profile("base"), max_examples=150, derandomize=True
)
settings.register_profile("fuzz", settings.get_profile("base"), max_examples=3000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
