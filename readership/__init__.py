"""Who reads what: page-view tokens and beacons, the counters, "Meistgelesen"
and the statistics pages."""
