"""Builders for agency copy: an agency with a rule, items from our samples."""

from pathlib import Path

from agency.ingest import Report, ingest
from agency.models import Agency, AgencyItem
from tests.factories import make_section

SAMPLES = Path(__file__).parent / "samples"


def make_agency(section=None, publishes_directly=False, **overrides):
    """dpa, with one rule sending every item to `section`."""
    fields = {"name": "Deutsche Presse-Agentur", "credit": "dpa"}
    fields.update(overrides)
    agency = Agency.objects.create(**fields)
    agency.rules.create(
        section=section or make_section(name="Nachrichten"),
        publishes_directly=publishes_directly,
        position=9,
    )
    return agency


def receive_sample(agency, *names):
    """Ingest our sample files `names` in order; the report."""
    report = Report()
    for name in names:
        ingest(agency, (SAMPLES / name).read_bytes(), name, report)
    return report


def make_item(agency, *names):
    receive_sample(agency, *names)
    return AgencyItem.objects.get(agency=agency, guid__endswith=guid_tail(names[0]))


def guid_tail(name):
    return {
        "haushalt_v1.json": "haushalt-auenland",
        "sport_sperrfrist.json": "pokal-auslosung",
        "unbekannte_felder.json": "wetter",
    }[name]
