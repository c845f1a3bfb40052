"""Agenturmeldungen for the demo: an agency with the desk's rules, a few
items, one taken over as a draft before the agency sent an update (so the
article shows "Agenturmeldung aktualisiert"), one under embargo.

Running it again changes nothing: the agency is matched by its credit.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from agency.ingest import Report, ingest
from agency.models import Agency, AgencyItem
from agency.takeover import take_over
from articles.models import Section

DELIVERIES = Path(__file__).with_name("demo_agency.json")
# (subject, section path, publishes directly)
RULES = [
    ("Politik", "news/politik", False),
    ("Sport", "sport", False),
    ("Wirtschaft", "news/wirtschaft", False),
    ("", "news", False),
]
TAKEN_OVER_BEFORE_ITS_UPDATE = "urn:newsml:newsroom.demo:schulessen"


class Command(BaseCommand):
    help = "Legt die Agentur dpa mit Regeln und einigen Agenturmeldungen an."

    def handle(self, *args, **options):
        sections = {s.path: s for s in Section.objects.all()}
        if not all(path in sections for _, path, _ in RULES):
            self.stderr.write("Erst die Demo-Inhalte laden (load_demo_content).")
            return
        if Agency.objects.filter(credit="dpa").exists():
            self.stdout.write("Demo-Agentur: besteht schon.")
            return
        journalist = get_user_model().objects.filter(username="redakteurin").first()
        deliveries = json.loads(DELIVERIES.read_text())
        report = Report()
        with transaction.atomic():
            agency = Agency.objects.create(name="Deutsche Presse-Agentur", credit="dpa")
            for position, (subject, path, directly) in enumerate(RULES):
                agency.rules.create(
                    subject=subject,
                    section=sections[path],
                    publishes_directly=directly,
                    position=position,
                )
            for data in deliveries:
                if hours := data.pop("embargo_hours", None):
                    embargo = timezone.now() + timedelta(hours=hours)
                    data["embargoed"] = embargo.isoformat(timespec="minutes")
                update = (
                    data["uri"] == TAKEN_OVER_BEFORE_ITS_UPDATE
                    and data["version"] != "1"
                )
                if update:
                    item = AgencyItem.objects.get(guid=TAKEN_OVER_BEFORE_ITS_UPDATE)
                    take_over(item, journalist)
                ingest(agency, json.dumps(data), "Demo", report)
        for line in report.lines():
            self.stdout.write(f"Demo-Agenturmeldungen: {line}")
