"""Counting done once: the rules and machinery every counter shares.

Page views (readership) and ad events (ads) are counted by the same rules:
which requests count (not bots, staff or prefetches, not beyond a limit per
address), tokens that count once, and hourly counters that add one in a
single statement. Nothing about the reader is stored here.
"""
