"""Fakes for the demo stream, the tests and the benchmarks: never used on a production path."""
