"""Switchboard's benchmark suite: `python -m bench` (see docs/bench.md).

Benchmarks are not tests: they measure, print a table and write bench/results/<name>.json.
Every machine-dependent figure is reported next to a baseline measured in the same run.
"""
