"""Jobs for the tests of worker processes. They live in a module of their own because a
worker (a fresh interpreter) must be able to import what it runs."""
from __future__ import annotations

import os
import time
from pathlib import Path


def seed_and_process(seed: int) -> tuple[int, int]:
    return seed, os.getpid()


def waits_for_a_file(seed: int, folder: str, first: int) -> str:
    """Seed `first` returns at once; the others return once `folder`/go exists, or after
    60 s without it."""
    Path(folder, f"started-{seed}").touch()
    if seed == first:
        return "first"
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline:
        if Path(folder, "go").exists():
            return "released"
        time.sleep(0.05)
    return "timed out"


def fails_first(seed: int, folder: str, first: int) -> str:
    """Seed `first` fails at once; the others wait (as `waits_for_a_file`)."""
    if seed == first:
        Path(folder, f"started-{seed}").touch()
        raise RuntimeError(f"seed {seed} failed")
    return waits_for_a_file(seed, folder, first)
