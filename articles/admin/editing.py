"""Autosave, presence and "Änderungen ansehen" for the article form.

The form's script (static/articles/admin/editing.js) posts what is typed
every few seconds as the person's autosaved draft, and a heartbeat that
says the form is open and asks who else has it open and whether someone
saved the article since. Neither request changes the article: only the
form's own "Sichern" does, with its edit-token check.
"""

import uuid
from contextlib import suppress
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import FileField
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from reversion.models import Version

from ..models import PRESENCE_TIMEOUT, AutosavedDraft, EditingSession

# The query parameter that opens the form with the autosaved draft.
RESTORE_DRAFT = "entwurf"
# Drafts nobody came back to are removed when anyone saves an article.
DRAFT_LIFETIME = timedelta(days=30)


def person(user):
    return user.get_full_name() or user.get_username()


def clock(moment):
    return f"{timezone.localtime(moment):%H:%M}"


def changes_since_url(article, edit_token):
    """Where "Änderungen ansehen" leads: from the version a form was opened
    with (its edit token) to what is stored now."""
    url = reverse("admin:articles_article_changes", args=[article.pk])
    return f"{url}?{urlencode({'seit': edit_token})}"


def form_values(form_class, data):
    """The form's fields as its widgets read them from `data`, ready to be
    stored as JSON and given back to the form as initial values.

    Uploads are left out: a file cannot be kept without being saved.
    """
    values = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field, FileField) or name == "loaded_edit_token":
            continue
        value = field.widget.value_from_datadict(data, {}, name)
        if value is not None:
            values[name] = value
    return values


def edit_token(data):
    try:
        return uuid.UUID(data.get("loaded_edit_token", ""))
    except ValueError:
        return None


class EditingSessionsAdmin:
    """The article admin's part: its URLs, views and form context."""

    # How often the page saves what is typed and says it is still open.
    autosave_seconds = 3
    heartbeat_seconds = 10

    def get_urls(self):
        def view(function, route, name):
            return path(
                route,
                self.admin_site.admin_view(function),
                name=f"articles_article_{name}",
            )

        return [
            view(self.autosave_view, "entwurf/", "autosave_new"),
            view(self.discard_draft_view, "entwurf/verwerfen/", "discard_draft_new"),
            view(self.autosave_view, "<path:object_id>/entwurf/", "autosave"),
            view(
                self.discard_draft_view,
                "<path:object_id>/entwurf/verwerfen/",
                "discard_draft",
            ),
            view(self.heartbeat_view, "<path:object_id>/anwesenheit/", "heartbeat"),
            view(self.changes_view, "<path:object_id>/aenderungen/", "changes"),
            *super().get_urls(),
        ]

    def article_being_edited(self, request, object_id):
        """The article whose form posts here (None for a new one), if
        `request.user` may save that form."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("Diesen Artikel gibt es nicht.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    @staticmethod
    def drafts_url(article, name):
        if article is None:
            return reverse(f"admin:articles_article_{name}_new")
        return reverse(f"admin:articles_article_{name}", args=[article.pk])

    def autosave_view(self, request, object_id=None):
        if request.method != "POST":
            return JsonResponse({"error": "Nur POST."}, status=405)
        article = self.article_being_edited(request, object_id)
        form_class = self.get_form(request, article)
        saved_at = AutosavedDraft.keep(
            request.user,
            article,
            form_values(form_class, request.POST),
            edit_token(request.POST),
        )
        return JsonResponse(
            {"message": f"Entwurf automatisch gespeichert um {clock(saved_at)}"}
        )

    def discard_draft_view(self, request, object_id=None):
        if request.method != "POST":
            return JsonResponse({"error": "Nur POST."}, status=405)
        article = self.article_being_edited(request, object_id)
        AutosavedDraft.objects.of(request.user, article).delete()
        return JsonResponse({"message": "Automatisch gespeicherter Entwurf verworfen."})

    def heartbeat_view(self, request, object_id):
        """Who else has this article's form open, and whether someone saved
        it since this form was opened. Cheap: a few small statements."""
        if request.method != "POST":
            return JsonResponse({"error": "Nur POST."}, status=405)
        article = self.article_being_edited(request, object_id)
        try:
            key = uuid.UUID(request.POST.get("key", ""))
        except ValueError:
            return JsonResponse({"error": "Fenster unbekannt."}, status=400)
        sessions = EditingSession.objects.filter(article=article)
        if request.POST.get("left"):
            sessions.filter(key=key, user=request.user).delete()
            return JsonResponse({})
        sessions.filter(seen_at__lt=timezone.now() - PRESENCE_TIMEOUT * 10).delete()
        EditingSession.beat(article, request.user, key)
        others = [
            {
                "name": person(session.user),
                "since": clock(session.opened_at),
                "is_me": session.user_id == request.user.pk,
            }
            for session in sessions.present().exclude(key=key).select_related("user")
        ]
        return JsonResponse(
            {"others": others, "saved": self.saved_since(article, request.POST)}
        )

    def saved_since(self, article, data):
        """Who saved `article` since the form posting `data` was opened."""
        started_from = edit_token(data)
        if started_from is None or started_from == article.edit_token:
            return None
        latest = (
            Version.objects.get_for_object(article)
            .select_related("revision__user")
            .first()
        )
        by = latest and latest.revision.user
        when = latest.revision.date_created if latest else article.updated_at
        return {
            "message": f"{person(by) if by else 'Jemand anderes'} hat den Artikel "
            f"um {clock(when)} Uhr gesichert. Ihre Fassung ist nicht mehr aktuell: "
            "Sichern wird abgelehnt, Ihre Eingaben bleiben im Formular.",
            "changes_url": changes_since_url(article, started_from),
        }

    def changes_view(self, request, object_id):
        """The diff from the version a form was opened with to the newest."""
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article)
        latest = versions.first()
        opened = None
        with suppress(ValueError):
            started_from = uuid.UUID(request.GET.get("seit", ""))
            # The version its save wrote: the only one with that token.
            opened = versions.filter(
                serialized_data__contains=str(started_from)
            ).first()
        if latest is None or opened is None:
            self.message_user(
                request,
                "Die Fassung, die Sie geöffnet hatten, ist nicht in der "
                "Versionsgeschichte. Hier sind alle Versionen des Artikels.",
                messages.WARNING,
            )
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[article.pk])
            )
        compare = reverse("admin:articles_article_compare", args=[article.pk])
        query = urlencode({"version_id1": opened.pk, "version_id2": latest.pk})
        return HttpResponseRedirect(f"{compare}?{query}")

    def editing_context(self, request, article, form_context):
        """What the form page needs for autosave and presence, or nothing
        on a page that cannot be saved (read-only, restore, recovery)."""
        # The admin's own answers for this page, already worked out.
        may_save = form_context[
            "has_add_permission" if article is None else "has_change_permission"
        ]
        if not may_save or form_context.get("revert") or form_context.get("recover"):
            return None
        restored = form_context["adminform"].form.restored_draft
        context = {
            "autosave_url": self.drafts_url(article, "autosave"),
            "discard_url": self.drafts_url(article, "discard_draft"),
            "autosave_seconds": self.autosave_seconds,
            "restored": restored,
        }
        # A refused POST shows what was just sent: nothing to offer there.
        if restored is None and request.method == "GET":
            draft = AutosavedDraft.objects.of(request.user, article).first()
            if draft is not None:
                context["offer"] = draft
                context["restore_url"] = f"{request.path}?{RESTORE_DRAFT}=1"
        if article is not None:
            context["heartbeat_url"] = reverse(
                "admin:articles_article_heartbeat", args=[article.pk]
            )
            context["heartbeat_seconds"] = self.heartbeat_seconds
            context["key"] = uuid.uuid4()
        return context

    def draft_to_restore(self, request, article):
        if request.method != "GET" or RESTORE_DRAFT not in request.GET:
            return None
        return AutosavedDraft.objects.of(request.user, article).first()

    def forget_draft(self, request, article):
        """The form was saved for real: the person's draft is spent, and
        drafts left behind long ago go too."""
        AutosavedDraft.objects.filter(
            Q(user=request.user, article=article)
            | Q(saved_at__lt=timezone.now() - DRAFT_LIFETIME)
        ).delete()
