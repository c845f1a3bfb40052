"""The ad report: counted events per day (Europe/Berlin) and what was filtered."""

import csv
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils.formats import number_format

from counting.rules import RATE_LIMIT_WINDOW

from .counting import RATE_LIMIT_EVENTS, TOKEN_MAX_AGE
from .models import (
    BERLIN,
    AdEvent,
    AdSlot,
    Campaign,
    CountReason,
    Creative,
    EventCount,
)

GROUPINGS = {
    "campaign": ("creative__campaign", Campaign, "Kampagne"),
    "creative": ("creative", Creative, "Werbemittel"),
    "slot": ("slot", AdSlot, "Werbeplatz"),
}
FILTER_REASONS = [reason for reason in CountReason if reason != CountReason.COUNTED]
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 200, 30
# What each "Nicht gezählt" column means, for the report's legend.
REASON_EXPLANATIONS = {
    CountReason.BOT: "Abruf durch ein Programm, nicht durch einen Menschen: "
    "Suchmaschinen, Link-Vorschauen, Crawler (erkannt an der Browserkennung "
    "oder weil sie fehlt).",
    CountReason.STAFF: "Abruf durch jemanden, der im Redaktionssystem "
    "angemeldet ist: Kolleginnen und Kollegen zählen nicht als Publikum.",
    CountReason.PREFETCH: "Der Browser hat die Seite nur vorsorglich im "
    "Voraus geladen (Prefetch, Prerender); gesehen hat sie dabei niemand.",
    CountReason.INVALID: "Die Meldung trug kein gültiges Zeichen unseres "
    "Servers: beschädigt, abgeschnitten oder gefälscht.",
    CountReason.EXPIRED: "Die Meldung kam später als "
    f"{TOKEN_MAX_AGE.total_seconds() / 3600:.0f} Stunden nach dem Ausliefern "
    "der Seite, etwa aus einem tagelang offenen Tab.",
    CountReason.REPEAT: "Für diese eine Anzeige auf dieser einen Seite war "
    "das Ereignis schon gezählt, etwa ein zweiter Klick oder eine doppelt "
    "gesendete Meldung.",
    CountReason.RATE_LIMITED: f"Von derselben Adresse kamen mehr als "
    f"{RATE_LIMIT_EVENTS} Meldungen in {RATE_LIMIT_WINDOW} Sekunden, mehr als "
    "ein Mensch beim Lesen auslöst.",
}


def share(part, whole):
    return part / whole if whole else None


@dataclass
class ReportRow:
    day: object
    label: str
    served: int = 0
    viewable: int = 0
    clicks: int = 0
    filtered: dict = field(default_factory=dict)

    @property
    def viewability(self):
        return share(self.viewable, self.served)

    @property
    def ctr(self):
        return share(self.clicks, self.served)

    @property
    def viewability_percent(self):
        return percent(self.viewability)

    @property
    def ctr_percent(self):
        return percent(self.ctr)

    @property
    def filtered_counts(self):
        return [self.filtered.get(reason, 0) for reason in FILTER_REASONS]

    def add(self, other):
        self.served += other.served
        self.viewable += other.viewable
        self.clicks += other.clicks
        for reason, count in other.filtered.items():
            self.filtered[reason] = self.filtered.get(reason, 0) + count


@dataclass
class Report:
    start: object
    end: object
    grouping: str
    rows: list
    total: ReportRow
    filtered_by_event: list
    days: list
    pacing: list

    @property
    def group_label(self):
        return GROUPINGS[self.grouping][2]

    @property
    def reason_labels(self):
        return [reason.label for reason in FILTER_REASONS]

    def chart(self):
        """Polylines (served, viewable, clicks per day) for an SVG chart."""
        per_day = {day: ReportRow(day, "") for day in self.days}
        for row in self.rows:
            per_day[row.day].add(row)
        top = max([r.served for r in per_day.values()] + [1])
        top_clicks = max([r.clicks for r in per_day.values()] + [1])
        steps = max(len(self.days) - 1, 1)
        inner_w = CHART_WIDTH - 2 * CHART_PAD
        inner_h = CHART_HEIGHT - 2 * CHART_PAD

        def points(values, scale):
            return " ".join(
                f"{CHART_PAD + inner_w * n / steps:.1f},"
                f"{CHART_PAD + inner_h * (1 - value / scale):.1f}"
                for n, value in enumerate(values)
            )

        rows = list(per_day.values())
        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "pad": CHART_PAD,
            "bottom": CHART_HEIGHT - CHART_PAD,
            "right": CHART_WIDTH - CHART_PAD,
            "top": top,
            "top_clicks": top_clicks,
            "served": points([r.served for r in rows], top),
            "viewable": points([r.viewable for r in rows], top),
            "clicks": points([r.clicks for r in rows], top_clicks),
            "first_day": self.days[0],
            "last_day": self.days[-1],
        }


def day_bounds(start, end):
    """UTC-comparable moments from the start of `start` to the end of `end`."""
    return (
        datetime.combine(start, time(), BERLIN),
        datetime.combine(end + timedelta(days=1), time(), BERLIN),
    )


def build_report(
    start, end, grouping="campaign", campaign=None, creative=None, slot=None
):
    counts = EventCount.objects.between(*day_bounds(start, end))
    if campaign is not None:
        counts = counts.filter(creative__campaign=campaign)
    if creative is not None:
        counts = counts.filter(creative=creative)
    if slot is not None:
        counts = counts.filter(slot=slot)
    key, model, _ = GROUPINGS[grouping]
    daily = (
        counts.annotate(day=TruncDate("hour", tzinfo=BERLIN))
        .values("day", key, "event", "reason")
        .annotate(total=Sum("count"))
        .order_by()
    )
    rows = {}
    for entry in daily:
        row_key = (entry["day"], entry[key])
        row = rows.setdefault(row_key, ReportRow(entry["day"], entry[key]))
        if entry["reason"] == CountReason.COUNTED:
            attribute = {
                AdEvent.SERVED: "served",
                AdEvent.VIEWABLE: "viewable",
                AdEvent.CLICK: "clicks",
            }[entry["event"]]
            setattr(row, attribute, getattr(row, attribute) + entry["total"])
        else:
            row.filtered[entry["reason"]] = (
                row.filtered.get(entry["reason"], 0) + entry["total"]
            )
    names = {
        obj.pk: str(obj)
        for obj in model.objects.filter(pk__in={pk for _, pk in rows if pk})
    }
    total = ReportRow(None, "Summe")
    for row in rows.values():
        row.label = names.get(row.label, "Unbekannt (ungültiges Token)")
        total.add(row)
    ordered = sorted(rows.values(), key=lambda r: (r.day, r.label))
    by_event = dict(
        ((entry["reason"], entry["event"]), entry["total"])
        for entry in counts.exclude(reason=CountReason.COUNTED)
        .values("reason", "event")
        .annotate(total=Sum("count"))
        .order_by()
    )
    filtered_by_event = [
        (
            reason.label,
            REASON_EXPLANATIONS[reason],
            [by_event.get((reason, event), 0) for event in AdEvent],
        )
        for reason in FILTER_REASONS
    ]
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return Report(
        start=start,
        end=end,
        grouping=grouping,
        rows=ordered,
        total=total,
        filtered_by_event=filtered_by_event,
        days=days,
        pacing=pacing_for(campaign),
    )


def pacing_for(campaign=None):
    """Pacing of the chosen campaign, or of every active campaign with a goal."""
    campaigns = (
        [campaign]
        if campaign is not None
        else Campaign.objects.running().filter(impression_goal__isnull=False)
    )
    campaigns = [c for c in campaigns if c.impression_goal]
    if not campaigns:
        return []
    served = EventCount.objects.filter(
        creative__campaign__in=campaigns
    ).served_by_campaign()
    return [(c, c.pacing(served.get(c.pk, 0))) for c in campaigns]


def percent(value):
    return "" if value is None else f"{number_format(value * 100, 1)} %"


def write_csv(report, response):
    """The report's rows as CSV for spreadsheets set to German."""
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "Tag",
            report.group_label,
            "Ausgeliefert",
            "Sichtbar",
            "Sichtbarkeit %",
            "Klicks",
            "Klickrate %",
            *[f"Nicht gezählt: {label}" for label in report.reason_labels],
        ]
    )
    for row in report.rows:
        writer.writerow(
            [
                row.day.isoformat(),
                row.label,
                row.served,
                row.viewable,
                number_format(row.viewability * 100, 1) if row.served else "",
                row.clicks,
                number_format(row.ctr * 100, 2) if row.served else "",
                *row.filtered_counts,
            ]
        )
