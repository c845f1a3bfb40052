import io
import json
import pickle
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

from recommendations import corpora
from recommendations.evaluation import read_corpus


def wheel(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def deb(path, members):
    """A Debian package as dpkg builds it: an ar archive holding data.tar."""
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    parts = [("debian-binary", b"2.0\n"), ("data.tar.gz", tar.getvalue())]
    out = b"!<arch>\n"
    for name, data in parts:
        header = f"{name:<16}{0:<12}{0:<6}{0:<6}{644:<8}{len(data):<10}`\n"
        out += header.encode() + data + (b"\n" if len(data) % 2 else b"")
    path.write_bytes(out)


REUTERS = b"""<?xml version="1.0"?>
<REUTERS NEWID="7"><DATE> 5-MAR-1987 09:23:01.14</DATE>
<TOPICS><D>crude</D></TOPICS>
<TEXT><TITLE>OPEC RAISES OUTPUT</TITLE><BODY>Oil ministers said
    output rises.
 Reuter</BODY></TEXT></REUTERS>"""


class CorpusBuildingTests(SimpleTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        wheel(
            self.folder / "lda-3.0.2-cp311-x.whl",
            {
                "lda/tests/reuters.titles": "0 UK: Queen opens bridge. LONDON "
                "1996-08-20\n1 INDIA: Monsoon floods. DELHI 1996-08-21\n",
                "lda/tests/reuters.tokens": "queen\nbridge\nflood\n",
                "lda/tests/reuters.ldac": "2 0:2 1:1\n1 2:3\n",
            },
        )
        wheel(
            self.folder / "gensim-4.3.3-cp311-x.whl",
            {
                "gensim/test/test_data/lee.cor": "First text.\nSecond text.\n",
                "gensim/test/test_data/similarities0-1.txt": "1\t0.7\n0\t1\n",
            },
        )
        deb(
            self.folder / "r-cran-tm_0.7_amd64.deb",
            {"./usr/lib/R/site-library/tm/texts/crude/reut-1.xml": REUTERS},
        )

    def test_word_counts_become_a_body_and_the_country_its_label(self):
        rcv1 = corpora.rcv1(self.folder / "lda-3.0.2-cp311-x.whl")

        self.assertEqual(rcv1[0]["body"], "<p>queen queen bridge</p>")
        self.assertEqual(rcv1[0]["label"], "UK")
        self.assertEqual(rcv1[0]["section"], "welt/europa")
        self.assertEqual(rcv1[1]["section"], "welt/asien")
        self.assertEqual(rcv1[1]["published_at"], "1996-08-21T12:00:00+00:00")

    def test_a_debian_package_is_read_without_dpkg(self):
        stories = corpora.reuters21578(self.folder / "r-cran-tm_0.7_amd64.deb")

        self.assertEqual(len(stories), 1)
        self.assertEqual(stories[0]["label"], "crude")
        self.assertEqual(stories[0]["published_at"], "1987-03-05T09:23:01+00:00")
        self.assertNotIn("Reuter", stories[0]["body"])

    def test_human_ratings_become_symmetric_graded_pairs(self):
        lines = corpora.lee(self.folder / "gensim-4.3.3-cp311-x.whl")

        grades = {
            (line["query"], line["candidate"]): line["grade"]
            for line in lines
            if "query" in line
        }
        self.assertEqual(grades, {("l0", "l1"): 2, ("l1", "l0"): 2})

    def test_a_post_sent_to_several_groups_carries_each_of_them(self):
        posts = [
            "Newsgroups: sci.astro, sci.space,sci.astro\n"
            "Subject: Re: Gamma Ray Bursters\nDate: Tue, 6 Apr 1993 12:44:38 GMT"
            "\n\n> quoted line\nThey are far away.",
            "Newsgroups: alt.atheism\nSubject: Faith\n\nNo date, left out.",
        ]
        wheel(
            self.folder / "gensim-4.3.3-cp311-x.whl",
            {
                "gensim/test/test_data/mini_newsgroup": zlib.compress(
                    pickle.dumps({"data": posts, "target_names": ["sci.space"]})
                )
            },
        )

        (post,) = corpora.newsgroups(self.folder / "gensim-4.3.3-cp311-x.whl")

        self.assertEqual(post["label"], ["sci.astro", "sci.space"])
        self.assertEqual(post["section"], "sci")
        self.assertEqual(post["headline"], "Re: Gamma Ray Bursters")
        self.assertEqual(post["body"], "<p>They are far away.</p>")
        self.assertEqual(post["published_at"], "1993-04-06T12:44:38+00:00")

    def test_the_pickled_newsgroups_may_name_no_other_class(self):
        with self.assertRaisesMessage(pickle.UnpicklingError, "nicht erlaubt"):
            corpora._BunchReader(io.BytesIO(pickle.dumps(io.BytesIO()))).load()

    def test_missing_package_files_are_named_in_german(self):
        empty = self.folder / "leer"
        empty.mkdir()

        with self.assertRaisesMessage(CommandError, "make related-corpora"):
            call_command("build_related_corpora", str(empty), str(self.folder))

    def test_built_corpora_are_what_the_evaluation_reads(self):
        rcv1 = corpora.rcv1(self.folder / "lda-3.0.2-cp311-x.whl")
        lines = [
            json.dumps({**line, "id": f"r{number}"})
            for number, line in enumerate(rcv1 * 3)
        ]

        corpus = read_corpus(lines)

        self.assertEqual(len(corpus.articles), 6)
