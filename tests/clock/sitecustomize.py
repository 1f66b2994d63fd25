"""Moves the clock of every Python process a clock-pinned test run starts (`make test-clock`).

The suite's own process travels in the root conftest; the workers, servers and commands it
starts load this module through PYTHONPATH and travel by the same offset, so that every process
of the run agrees on the moment.
"""

import os

_offset = os.environ.get("ROUNDTABLE_CLOCK_OFFSET")
if _offset:
    import time

    import time_machine

    time_machine.travel(time.time() + float(_offset), tick=True).start()
    time.time()  # the clock ticks from its first reading: read it now, not when first needed
