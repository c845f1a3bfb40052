"""Rebuild the recommendation index and every stored list from scratch.

Saving an article keeps its list and the lists it affects current; run this
after importing articles without saving them one by one, after changing
settings.NEWSROOM_RELATED, or now and then (e.g. nightly) so that word
weights follow the grown archive.
"""

from django.core.management.base import BaseCommand

from recommendations.lists import rebuild


class Command(BaseCommand):
    help = "Baut den Index und alle Listen „Das könnte Sie auch interessieren“ neu auf."

    def handle(self, *args, **options):
        last = {}

        def progress(step, done, total):
            if last.get(step) != done and (done == total or done % 5000 == 0):
                self.stdout.write(f"{step}: {done}/{total}")
                last[step] = done

        rebuild(progress=progress)
        self.stdout.write("Fertig.")
