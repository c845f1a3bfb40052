"""The newsroom's roles as the permission tests try them, and what those
tests share: a user for each role, a saved version, an admin page's address."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from reversion import create_revision, set_user
from reversion.models import Version

from tests.factories import DESK_EDITOR, JOURNALIST, make_editor, make_staff

AD_MANAGER = "Anzeigenverwaltung"

ANONYMOUS = "anonym"
REDAKTEURIN = "Redakteur/in"
CVD = "CvD"
ANZEIGEN = "Anzeigen"
STAFF = "Staff ohne Rolle"
ADMIN = "Superuser"
ROLES = (ANONYMOUS, REDAKTEURIN, CVD, ANZEIGEN, STAFF, ADMIN)

OK, MOVED, DENIED, GONE = 200, 302, 403, 404


def make_user(role):
    if role == ANONYMOUS:
        return None
    if role == ADMIN:
        return make_editor()
    if role == STAFF:
        number = get_user_model().objects.count() + 1
        return get_user_model().objects.create(username=f"staff{number}", is_staff=True)
    group = {REDAKTEURIN: JOURNALIST, CVD: DESK_EDITOR, ANZEIGEN: AD_MANAGER}[role]
    return make_staff(group)


def save_version(article, user):
    with create_revision():
        set_user(user)
        article.save()
    return Version.objects.get_for_object(article).first()


def admin_url(model, page, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)
