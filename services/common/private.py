"""Local state readable by its owner only: the SQLite database, cursors, router tables.

They hold personal data (authors, message text) and token hashes, so nobody else on the
machine may read them, whatever the process umask.
"""

from __future__ import annotations

import os
from pathlib import Path


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if missing; the folder itself is made 0700."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if missing, with mode 0600 (an existing file is made 0600).

    SQLite creates its -wal and -shm files with the database file's permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    path.chmod(0o600)
    return path
