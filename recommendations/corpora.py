"""Evaluation corpora built from public data that packages ship.

The corpora are never part of the repository, so that the ranking cannot be
tuned to them by accident; `manage.py build_related_corpora` writes them as
JSON Lines (the format recommendations.evaluation reads) from the package
files that `make related-corpora` downloads with pip and apt:

- reuters-rcv1: 395 Reuters stories of August 1996 from the `lda` wheel
  (lda/tests/reuters.*, as word counts), the country slug of the headline as
  the finer label, its region as the Ressort, the dateline's date;
- newsgroups: 200 Usenet posts of 1993 from the `gensim` wheel
  (gensim/test/test_data/mini_newsgroup), every newsgroup the post was sent
  to as its finer labels, the first one's hierarchy (sci, alt, talk …) as the
  Ressort, the Date header;
- reuters-21578: the Reuters stories of 1987 in Debian's `r-cran-tm`
  (tm/texts/acq, crude, reuters-21578.xml), the first topic as the finer
  label, all in one Ressort, the DATE element;
- lee: the 50 news texts with averaged human similarity ratings of Lee,
  Pincombe and Welsh (2005) from the `gensim` wheel (lee.cor,
  similarities0-1.txt), as graded pairs.
"""

import io
import json
import pickle
import re
import tarfile
import zipfile
import zlib
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from xml.etree import ElementTree

GENSIM = "gensim-4.3.3-*.whl"
LDA = "lda-3.0.2-*.whl"
TM = "r-cran-tm_*.deb"

REGIONS = {
    "amerika": {
        "USA", "CANADA", "COLOMBIA", "ARGENTINA", "VENEZUELA", "PERU", "MEXICO",
        "JAMAICA", "CUBA", "CHILE", "BRAZIL",
    },
    "asien": {
        "INDIA", "PHILIPPINES", "AUSTRALIA", "INDONESIA", "VIETNAM",
        "SOUTH KOREA", "CHINA", "TAIWAN", "HONG KONG", "NEW ZEALAND",
    },
    "afrika-nahost": {
        "SOUTH AFRICA", "ISRAEL", "EGYPT", "ZIMBABWE", "LIBERIA",
        "COTE D'IVOIRE", "CENTRAL AFRICAN REPUBLIC",
    },
}  # fmt: skip
RCV1_TITLE = re.compile(r"^(\d+) ([A-Z][A-Za-z' ]+): (.*?)\s(\d{4}-\d\d-\d\d)$")


class MissingPackage(FileNotFoundError):
    pass


def build_all(packages, target):
    """Write every corpus from the package files in `packages` into
    `target`; returns {name: number of articles}."""
    packages, target = Path(packages), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    gensim = _archive(packages, GENSIM)
    built = {
        "reuters-rcv1": rcv1(_archive(packages, LDA)),
        "newsgroups": newsgroups(gensim),
        "reuters-21578": reuters21578(_archive(packages, TM)),
        "lee": lee(gensim),
    }
    for name, lines in built.items():
        with open(target / f"{name}.jsonl", "w", encoding="utf-8") as out:
            out.writelines(
                json.dumps(line, ensure_ascii=False) + "\n" for line in lines
            )
    return {
        name: sum("query" not in line for line in lines)
        for name, lines in built.items()
    }


def _archive(folder, pattern):
    found = sorted(folder.glob(pattern))
    if not found:
        raise MissingPackage(f"Paketdatei {pattern} fehlt in {folder}.")
    return found[-1]


def _member(wheel, name):
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(name)


def _article(pk, section, label, headline, body, published_at=None, lead=""):
    entry = {
        "id": pk,
        "language": "en",
        "section": section,
        "headline": headline.strip()[:200] or pk,
        "lead": lead,
        "body": "".join(f"<p>{part}</p>" for part in _escape(body).split("\n\n")),
        "tags": [],
        "label": label,
    }
    if published_at:
        entry["published_at"] = published_at.isoformat()
    return entry


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rcv1(wheel):
    titles = _member(wheel, "lda/tests/reuters.titles").decode().splitlines()
    vocabulary = _member(wheel, "lda/tests/reuters.tokens").decode().split()
    counts = _member(wheel, "lda/tests/reuters.ldac").decode().splitlines()
    region = {country: name for name, group in REGIONS.items() for country in group}
    lines = []
    for title, row in zip(titles, counts, strict=True):
        match = RCV1_TITLE.match(title)
        if not match:
            continue
        number, country, headline, day = match.groups()
        country = country.upper()
        # The package keeps word counts, not sentences: the body lists each
        # word as often as the story used it.
        words = []
        for pair in row.split()[1:]:
            term, count = pair.split(":")
            words += [vocabulary[int(term)]] * int(count)
        published_at = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)
        section = f"welt/{region.get(country, 'europa')}"
        lines.append(
            _article(f"r{number}", section, country, headline, " ".join(words),
                     published_at)
        )  # fmt: skip
    return lines


class _Ignored:
    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        pass


class _BunchReader(pickle.Unpickler):
    """Reads the pickled scikit-learn Bunch without scikit-learn or numpy,
    and refuses every other class."""

    def find_class(self, module, name):
        if (module, name) == ("copy_reg", "_reconstructor"):
            return lambda cls, base, state: dict(state)
        if (module, name) == ("__builtin__", "dict"):
            return dict
        if module.startswith("numpy") or name == "Bunch":
            return _Ignored
        raise pickle.UnpicklingError(f"{module}.{name} ist nicht erlaubt.")


def newsgroups(wheel):
    raw = zlib.decompress(_member(wheel, "gensim/test/test_data/mini_newsgroup"))
    posts = _BunchReader(io.BytesIO(raw), encoding="latin1").load()["data"]
    lines = []
    for number, post in enumerate(posts):
        head, _, body = post.partition("\n\n")
        headers = dict(
            line.split(": ", 1) for line in head.splitlines() if ": " in line
        )
        # A post sent to several groups is in each of them: the first one
        # named is only the order the poster typed them in (every post
        # labelled sci.astro by its first group had been sent to sci.space).
        groups = list(
            dict.fromkeys(
                name.strip()
                for name in headers.get("Newsgroups", "").split(",")
                if name.strip()
            )
        )
        try:
            published_at = parsedate_to_datetime(headers.get("Date", ""))
        except (TypeError, ValueError):
            published_at = None
        if not groups or published_at is None:
            continue
        if published_at.tzinfo is None:
            published_at = published_at.replace(tzinfo=UTC)
        # Quoted lines repeat the post answered: they would make every
        # reply a near-duplicate of its thread, which no news story is.
        text = "\n".join(
            line for line in body.splitlines() if not line.lstrip().startswith(">")
        )
        lines.append(
            _article(f"n{number}", groups[0].split(".")[0], groups,
                     headers.get("Subject", ""), text, published_at)
        )  # fmt: skip
    return lines


def reuters21578(deb):
    lines = []
    for name, data in _deb_members(deb, "/tm/texts/"):
        if not name.endswith(".xml") or "/txt/" in name:
            continue
        root = ElementTree.fromstring(data)
        stories = [root] if root.tag == "REUTERS" else root.iter("REUTERS")
        for story in stories:
            topics = [d.text for d in story.iterfind("TOPICS/D")]
            title = story.findtext("TEXT/TITLE") or ""
            body = story.findtext("TEXT/BODY") or ""
            if not topics or not body:
                continue
            published_at = datetime.strptime(
                story.findtext("DATE").strip().split(".")[0], "%d-%b-%Y %H:%M:%S"
            ).replace(tzinfo=UTC)
            pk = f"t{story.get('NEWID')}"
            if any(line["id"] == pk for line in lines):
                continue
            body = re.sub(r"\n\s+", "\n\n", body.replace(" Reuter", ""))
            lines.append(
                _article(pk, "wirtschaft", topics[0], title, body, published_at)
            )
    return lines


def _deb_members(deb, marker):
    """(path, bytes) of the files of a Debian package whose path contains
    `marker`: a .deb is an ar archive holding data.tar.*."""
    data = Path(deb).read_bytes()
    position = 8
    while position < len(data):
        name = data[position : position + 16].decode().strip().rstrip("/")
        size = int(data[position + 48 : position + 58].decode().strip())
        body = data[position + 60 : position + 60 + size]
        position += 60 + size + size % 2
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as archive:
                for member in archive:
                    if member.isfile() and marker in member.name:
                        yield member.name, archive.extractfile(member).read()


def lee(wheel):
    texts = _member(wheel, "gensim/test/test_data/lee.cor").decode("latin1")
    ratings = _member(wheel, "gensim/test/test_data/similarities0-1.txt").decode()
    lines = [
        _article(f"l{number}", "nachrichten", f"l{number}", text[:80], text)
        for number, text in enumerate(texts.splitlines())
    ]
    matrix = [[float(value) for value in row.split()] for row in ratings.splitlines()]
    for one, row in enumerate(matrix):
        for other, value in enumerate(row[: len(lines)]):
            if one == other:
                continue
            # The matrix holds only its upper half; ratings are symmetric.
            value = max(value, matrix[other][one])
            grade = 2 if value >= 0.6 else 1 if value >= 0.4 else 0
            lines.append({"query": f"l{one}", "candidate": f"l{other}", "grade": grade})
    return lines
