"""Instructions a server spends per request, counted by valgrind's callgrind.

CPU time on a shared two-core machine swings by a fifth between runs; the
number of instructions a process executes for the same work does not.
`manage.py bench_instructions` runs one gunicorn worker under callgrind and
asks it, between groups of requests, to write what it has counted so far
(a "dump"). A worker forked by gunicorn can't be reached by callgrind_control,
so the worker dumps itself: the bench URLconf's counter view calls
callgrind's client request through a tiny C library built here with gcc.
Outside valgrind that request is a no-op.
"""

import ctypes
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path

# The environment variable that names the built library in the worker.
LIBRARY_VARIABLE = "NEWSROOM_CALLGRIND_LIBRARY"
SOURCE = """
#include <valgrind/callgrind.h>
void newsroom_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""
HEADER = Path("/usr/include/valgrind/callgrind.h")
# A label names one group of requests in the dump files: letters, digits, "-".
LABEL = re.compile(r"[a-z0-9-]{1,40}")


class CounterUnavailable(Exception):
    pass


def build_library(directory):
    """Compile the dump helper into `directory`; its path."""
    if not HEADER.exists():
        raise CounterUnavailable(
            f"{HEADER} fehlt: valgrind installieren (apt-get install valgrind)."
        )
    source = Path(directory) / "newsroom_callgrind.c"
    library = source.with_suffix(".so")
    source.write_text(SOURCE)
    try:
        subprocess.run(
            ["gcc", "-O1", "-shared", "-fPIC", "-o", library, source],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        raise CounterUnavailable(
            f"gcc konnte die Hilfe nicht bauen: {error}"
        ) from error
    return library


@lru_cache(maxsize=1)
def loaded_library():
    path = os.environ.get(LIBRARY_VARIABLE)
    if not path:
        raise CounterUnavailable(f"{LIBRARY_VARIABLE} ist nicht gesetzt.")
    return ctypes.CDLL(path)


def dump(label):
    """Have callgrind write what this process has counted since the last
    dump, under `label`."""
    if not LABEL.fullmatch(label):
        raise ValueError(f"Ungültige Bezeichnung: {label!r}")
    loaded_library().newsroom_dump(label.encode())


def read_dumps(directory, pid):
    """{label: instructions} from the dump files process `pid` wrote."""
    counted = {}
    for path in Path(directory).glob(f"callgrind.{pid}.*"):
        text = path.read_text(errors="replace")
        trigger = re.search(r"^desc: Trigger: Client Request: (\S+)$", text, re.M)
        totals = re.search(r"^totals: (\d+)", text, re.M)
        if trigger and totals:
            counted[trigger.group(1)] = int(totals.group(1))
    return counted


def per_request(counted, label, requests, idle="leerlauf"):
    """Instructions per request of the group `label`, without what the
    dump requests around it cost (measured by the group `idle`, which
    sent none)."""
    return (counted[label] - counted[idle]) / requests
