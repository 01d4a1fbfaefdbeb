"""Entry point of `python -m bench`."""

from bench.cli import main

if __name__ == "__main__":  # spawned helper processes (the e2e poller) must not re-run it
    raise SystemExit(main())
