"""Process-wide tuning of the C allocator, for a command that audits one SBOM and exits.

Each stage of an audit frees most of what the previous one built (the parsed JSON document, then
per-stage tables) and allocates as much again. By default glibc's ``malloc`` gives large freed
blocks and the free top of its heap back to the system (``munmap``, ``brk`` trimming), and the
next stage faults the same amount of fresh memory in again, page by page (about 3 µs a page on a
virtual machine). Told to keep them, it hands the freed memory to the next stage as it is: at
100k components about 47k fewer page faults (230k → 183k) and 0.2–0.5 s less CPU time, for a peak
resident size within 1 % of the default. The memory is returned when the process exits.

Only for the CLI, once per process: a long-lived program that imports souverain as a library
keeps its own allocator settings.
"""

from __future__ import annotations

import ctypes
import sys

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_KEEP = 1 << 30
"""Free memory kept before trimming, and the size from which a block is mapped apart: 1 GiB,
larger than any one block of an audit, so freed memory stays in the heap for reuse."""


def keep_freed_memory() -> bool:
    """Ask the C library's ``malloc`` to keep freed memory for reuse instead of returning it to
    the system (glibc's ``mallopt``; see the module docstring). True when it accepted both
    settings; False, and nothing changed, on other platforms or C libraries without them."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_TRIM_THRESHOLD, _KEEP)) and bool(mallopt(_M_MMAP_THRESHOLD, _KEEP))
