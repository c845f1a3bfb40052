"""Hand the recommendation models to the recommendations app.

Only the migration state forgets them here: their tables keep every row,
and recommendations 0001 takes them over.
"""

from django.db import migrations

MOVED_TO_RECOMMENDATIONS = [
    "RelatedPin",
    "RelatedArticle",
    "RelatedProfile",
    "RelatedTerm",
    "RelatedTermCount",
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_article_links"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name=name) for name in MOVED_TO_RECOMMENDATIONS
            ],
        ),
    ]
