"""Background work: the one way an app defines a job and hands it on.

    from jobs import job

    @job("Bildgrößen schreiben")
    def create_copies(model_label, pk): ...

    create_copies.enqueue("articles.Article", article.pk)

Jobs are Django tasks (the django-tasks backport of Django 6's API) stored
in the database and run by `manage.py run_worker`; tests run them at once.
"""

from .definition import job

__all__ = ["job"]
