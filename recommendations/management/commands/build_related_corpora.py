"""Build the held-out evaluation corpora from package files.

    python manage.py build_related_corpora PACKAGES TARGET

PACKAGES holds the files `make related-corpora` downloads (the gensim and
lda wheels, Debian's r-cran-tm); TARGET receives one JSON Lines file per
corpus for evaluate_related. See recommendations.corpora.
"""

from django.core.management.base import BaseCommand, CommandError

from recommendations.corpora import MissingPackage, build_all


class Command(BaseCommand):
    help = (
        "Baut die Bewertungskorpora für „Das könnte Sie auch interessieren“ "
        "aus den Dateien öffentlicher Pakete."
    )

    def add_arguments(self, parser):
        parser.add_argument("packages", help="Ordner mit den Paketdateien.")
        parser.add_argument("target", help="Ordner für die Korpusdateien.")

    def handle(self, *args, packages, target, **options):
        try:
            built = build_all(packages, target)
        except MissingPackage as error:
            raise CommandError(
                f"{error} Bitte zuerst „make related-corpora“ ausführen."
            ) from None
        for name, count in built.items():
            self.stdout.write(f"{name}: {count} Artikel")
