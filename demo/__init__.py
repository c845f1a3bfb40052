"""The demo newsroom: invented sections, articles, ads and staff accounts.

Installed only where DJANGO_DEVTOOLS (or DEBUG) is on; nothing imports it.
"""
