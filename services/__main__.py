"""`python -m services` is the same as `switchboard` (used by the supervisor for children)."""

from services.cli import main

main()
