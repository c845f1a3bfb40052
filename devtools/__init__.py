"""Development and operations tooling: never needed to serve a page.

Benchmarks, the archive generator, the load test and the outage drill.
Installed only where DJANGO_DEVTOOLS (or DEBUG) is on; nothing imports it.
"""
