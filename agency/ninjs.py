"""Reading one agency item in IPTC ninjs 2.x (JSON), as dpa sends it.

Only what the desk uses is read. A field this module does not know is
reported and left out, so that a new field from the agency never stops the
news; an item without the fields it needs is refused as a whole, with a
German sentence saying why.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

from articles.text import sanitize_body

# ninjs 2.x properties (https://iptc.org/std/ninjs/): those read below and
# those an item may carry that the desk has no use for.
READ = {
    "uri",
    "guid",
    "version",
    "versioncreated",
    "embargoed",
    "urgency",
    "pubstatus",
    "headlines",
    "descriptions",
    "bodies",
    "body_html",
    "subjects",
    "copyrightholder",
    "copyrightnotice",
    "usageterms",
    "type",
}
KNOWN_UNUSED = {
    "standard",
    "firstcreated",
    "contentcreated",
    "expires",
    "representationtype",
    "profile",
    "mimetype",
    "language",
    "slugline",
    "genres",
    "keywords",
    "places",
    "people",
    "organisations",
    "located",
    "by",
    "infosources",
    "title",
    "associations",
    "altids",
    "trustindicators",
    "rightsinfo",
    "renditions",
    "ednote",
    "signals",
}
MAX_GUID = 300
MAX_HEADLINE = 300
PUBSTATUSES = {"usable", "withheld", "canceled"}
LEAD_ROLES = ("summary", "teaser", "abstract", "lead", "")
NOTE_ROLES = ("ednote", "correction", "editorialnote")


class NinjsError(ValueError):
    """The item cannot be read; the message says why, in German."""


@dataclass
class NinjsItem:
    guid: str
    version: int
    headline: str
    lead: str
    body: str
    version_created_at: datetime | None = None
    embargoed_until: datetime | None = None
    urgency: int | None = None
    pubstatus: str = "usable"
    subjects: list = field(default_factory=list)
    note: str = ""
    rights: str = ""
    associations: int = 0
    unknown_fields: list = field(default_factory=list)


def parse(data):
    """The NinjsItem in `data` (a dict decoded from JSON), or NinjsError."""
    if not isinstance(data, dict):
        raise NinjsError("Keine ninjs-Meldung: ein JSON-Objekt wird erwartet.")
    guid = _text(data.get("guid") or data.get("uri"))
    if not guid:
        raise NinjsError("Die Meldung hat keine Kennung („uri“ oder „guid“).")
    if data.get("type", "text") != "text":
        raise NinjsError(
            f"Meldung {guid}: Art „{data['type']}“ wird nicht übernommen, nur Text."
        )
    headline = _by_role(data.get("headlines"), ("main", "")) or _text(
        data.get("headline")
    )
    if not headline:
        raise NinjsError(f"Meldung {guid}: Die Überschrift fehlt.")
    if len(guid) > MAX_GUID or len(headline) > MAX_HEADLINE:
        raise NinjsError(f"Meldung {guid[:80]}: Kennung oder Überschrift zu lang.")
    body = sanitize_body(_body(data))
    lead = _by_role(data.get("descriptions"), LEAD_ROLES) or _first_paragraph(body)
    pubstatus = data.get("pubstatus", "usable")
    if pubstatus not in PUBSTATUSES:
        raise NinjsError(f"Meldung {guid}: Unbekannter Status „{pubstatus}“.")
    return NinjsItem(
        guid=guid,
        version=_version(data.get("version", 1), guid),
        headline=strip_tags(headline).strip(),
        lead=strip_tags(lead).strip(),
        body=body,
        version_created_at=_time(data.get("versioncreated"), "versioncreated", guid),
        embargoed_until=_time(data.get("embargoed"), "embargoed", guid),
        urgency=_urgency(data.get("urgency"), guid),
        pubstatus=pubstatus,
        subjects=_subjects(data.get("subjects")),
        note=_by_role(data.get("descriptions"), NOTE_ROLES, exact=True),
        rights=" · ".join(
            filter(
                None,
                (
                    _text(data.get("copyrightholder")),
                    _text(data.get("usageterms")),
                ),
            )
        ),
        associations=len(data.get("associations") or ()),
        unknown_fields=sorted(set(data) - READ - KNOWN_UNUSED),
    )


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _by_role(entries, roles, exact=False):
    """The value of the first entry whose role is one of `roles`, in their
    order; without `exact`, any entry if none has such a role."""
    if not isinstance(entries, list):
        return ""
    entries = [entry for entry in entries if isinstance(entry, dict)]
    for role in roles:
        for entry in entries:
            if entry.get("role", "") == role and _text(entry.get("value")):
                return _text(entry["value"])
    if exact:
        return ""
    return next((_text(e.get("value")) for e in entries if _text(e.get("value"))), "")


def _body(data):
    bodies = data.get("bodies")
    if isinstance(bodies, list):
        html = [
            entry for entry in bodies if isinstance(entry, dict) and entry.get("value")
        ]
        for entry in html:
            if entry.get("contenttype", "text/html") == "text/html":
                return entry["value"]
        if html:
            text = _text(html[0]["value"])
            return "".join(f"<p>{part}</p>" for part in text.split("\n\n") if part)
    # ninjs 1.x, still sent by some agencies.
    return _text(data.get("body_html"))


def _first_paragraph(body):
    return strip_tags(body.split("</p>", 1)[0]) if body else ""


def _version(value, guid):
    try:
        version = int(value)
    except (TypeError, ValueError):
        raise NinjsError(
            f"Meldung {guid}: Die Version „{value}“ ist keine Zahl."
        ) from None
    if version < 1:
        raise NinjsError(f"Meldung {guid}: Die Version muss mindestens 1 sein.")
    return version


def _time(value, name, guid):
    if value in (None, ""):
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        raise NinjsError(f"Meldung {guid}: „{name}“ ist keine gültige Zeitangabe.")
    if timezone.is_naive(moment):
        # ninjs times carry their offset; dpa's without one are German time.
        moment = timezone.make_aware(moment)
    return moment


def _urgency(value, guid):
    if value is None:
        return None
    if isinstance(value, int) and 1 <= value <= 9:
        return value
    raise NinjsError(f"Meldung {guid}: Die Dringlichkeit muss zwischen 1 und 9 liegen.")


def _subjects(entries):
    """Subjects as {"code", "name"}: the code is the subject's URI or
    qcode (e.g. "medtop:15000000"), the name what the desk reads."""
    subjects = []
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        code = _text(entry.get("uri") or entry.get("code") or entry.get("qcode"))
        name = _text(entry.get("name"))
        if code or name:
            subjects.append({"code": code, "name": name or code})
    return subjects
