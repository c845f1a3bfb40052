# The view counters and "Meistgelesen" moved to the readership app with
# their rows: readership 0001_initial takes them over (table, constraint
# names and content types); here they only leave the articles' state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_recommendations_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DailyArticleViews"),
                migrations.DeleteModel(name="HourlyArticleViews"),
                migrations.DeleteModel(name="MostReadArticle"),
            ],
            database_operations=[],
        ),
    ]
