from django.db import migrations
from django.db.models import F

# Articles per job: one job is a few seconds of the worker's time.
BATCH = 500


def refresh_search_terms_later(apps, schema_editor):
    # The stored terms gain word pairs, built in Python by the current code
    # (articles.search_terms); the worker rebuilds them, newest articles
    # first, as readers search those most. Until an article's turn comes,
    # a quoted phrase does not find it; single words do.
    from articles.jobs import refresh_search_vectors

    Article = apps.get_model("articles", "Article")
    ids = list(
        Article.objects.using(schema_editor.connection.alias)
        .order_by(F("published_at").desc(nulls_last=True), "-pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        refresh_search_vectors.enqueue(ids[start : start + BATCH])


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0017_article_kind"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(refresh_search_terms_later, migrations.RunPython.noop),
    ]
