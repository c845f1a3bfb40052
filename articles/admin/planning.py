"""The desk's plan ("Planung"): what is in review, what goes out today and
tomorrow, and what went out in the last day, with one-click actions.

Everyone in the newsroom may read the plan: a reporter needs to know when
a story runs and what runs beside it. Only the desk (`may_publish`) acts on
it, and every action is a model transition (`Article.publish_now`, …), run
like the list's bulk actions by `ArticleAdmin.run_transition`.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format

from ..models import Article
from ..models.states import may_publish

RECENTLY_PUBLISHED = timedelta(hours=24)


@dataclass(frozen=True)
class DeskAction:
    label: str
    done: str
    run: object
    # The workflow states (Article.workflow_state keys) offering the button;
    # the transition itself decides whether it may happen.
    offered_in: tuple


DESK_ACTIONS = {
    "publish_now": DeskAction(
        "Jetzt veröffentlichen",
        "veröffentlicht",
        Article.publish_now,
        ("review", "scheduled"),
    ),
    "unschedule": DeskAction(
        "Aus der Planung nehmen",
        "aus der Planung genommen, wieder in Prüfung",
        Article.unschedule,
        ("scheduled",),
    ),
    "return_to_draft": DeskAction(
        "Zurück an die Redaktion",
        "als Entwurf an die Redaktion zurückgegeben",
        Article.return_to_draft,
        ("review",),
    ),
    "withdraw": DeskAction(
        "Zurückziehen", "zurückgezogen", Article.withdraw, ("published",)
    ),
}


@dataclass
class PlanGroup:
    key: str
    heading: str
    empty: str
    rows: list = field(default_factory=list)


def offered_actions(user):
    """{workflow state: [(action name, label), …]} of the buttons `user` gets."""
    if not may_publish(user):
        return {}
    offered = {}
    for name, action in DESK_ACTIONS.items():
        for state in action.offered_in:
            offered.setdefault(state, []).append((name, action.label))
    return offered


def start_of_day(day):
    return datetime.combine(day, time(), timezone.get_current_timezone())


def desk_plan(articles, now, offered):
    """`Article.objects.on_the_desk()` sorted into the plan's groups (review,
    scheduled today, scheduled tomorrow, recently published) as rows of
    (article, the actions `offered` for its state)."""
    today = timezone.localdate(now)
    tomorrow = today + timedelta(days=1)
    review = PlanGroup("review", "In Prüfung", "Kein Artikel wartet auf Prüfung.")
    days = {
        day: PlanGroup(
            f"scheduled-{name}",
            f"Geplant für {name}, {date_format(day, 'l, j. F')}",
            f"Für {name} ist nichts geplant.",
        )
        for name, day in (("heute", today), ("morgen", tomorrow))
    }
    published = PlanGroup(
        "published",
        "Veröffentlicht in den letzten 24 Stunden",
        "In den letzten 24 Stunden wurde nichts veröffentlicht.",
    )
    for article in articles:
        state = article.workflow_state[0]
        row = (article, offered.get(state, []))
        if state == "review":
            review.rows.append(row)
        elif state == "scheduled":
            days[timezone.localdate(article.published_at)].rows.append(row)
        else:
            published.rows.append(row)
    published.rows.reverse()
    return [review, *days.values(), published]


class PlanningAdmin:
    """The plan's page and its actions, for ArticleAdmin."""

    # django-reversion's list, with a link to the plan.
    change_list_template = "admin/articles/article/change_list.html"

    def get_urls(self):
        planning = path(
            "planung/",
            self.admin_site.admin_view(self.planning_view),
            name="articles_article_planning",
        )
        return [planning, *super().get_urls()]

    def has_planning_permission(self, request):
        # The newsroom's people, not ad managers (who may read published
        # articles only).
        return request.user.has_perm("articles.change_article")

    def planning_view(self, request):
        if not self.has_planning_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            self.act_on_plan(request)
            return HttpResponseRedirect(request.path)
        now = timezone.now()
        until = start_of_day(timezone.localdate(now) + timedelta(days=2))
        articles = (
            self.get_queryset(request)
            .on_the_desk(now - RECENTLY_PUBLISHED, until)
            .select_related("section", "created_by")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Planung",
            "groups": desk_plan(articles, now, offered_actions(request.user)),
            "may_act": may_publish(request.user),
        }
        return TemplateResponse(
            request, "admin/articles/article/planning.html", context
        )

    def act_on_plan(self, request):
        action = DESK_ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            self.message_user(request, "Unbekannte Aktion.", messages.ERROR)
            return
        if not may_publish(request.user):
            raise PermissionDenied
        article_id = request.POST.get("article", "")
        try:
            loaded_token = uuid.UUID(request.POST.get("edit_token", ""))
        except ValueError:
            loaded_token = None
        if not article_id.isdigit() or loaded_token is None:
            self.message_user(
                request,
                "Die Anfrage war unvollständig. Bitte laden Sie die Planung neu.",
                messages.ERROR,
            )
            return
        articles = self.get_queryset(request).filter(pk=article_id)
        if not articles.exists():
            self.message_user(
                request, "Diesen Artikel gibt es nicht mehr.", messages.ERROR
            )
            return

        def run(article):
            # The state the button was shown for: if anyone saved the article
            # since, the save is refused as stale and nothing changes.
            article.edit_token = loaded_token
            action.run(article)

        self.run_transition(request, articles, run, action.done)
