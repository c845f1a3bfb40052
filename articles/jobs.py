from jobs import job


@job("Suchindex erneuern")
def refresh_search_vectors(article_ids):
    """Rebuild these articles' search terms from what they say now.

    The German compound splitter behind it takes seconds and hundreds of
    megabytes to load: the worker pays for that, not the admin's processes.
    """
    # The models import this module to enqueue it.
    from .models import Article

    Article.objects.filter(pk__in=article_ids).refresh_search_vectors()
