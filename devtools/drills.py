"""The site under gunicorn, driven over HTTP the way readers and editors do.

Shared by the `load_test` and `outage_drill` commands.
"""

import http.cookiejar
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.db import connection

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class Server:
    """gunicorn on 127.0.0.1:`port` with this process's settings and environment."""

    def __init__(self, port, workers, log_path, **environ):
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = Path(log_path)
        self.command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"),
        ]
        self.environ = {
            **os.environ,
            # The very database, files and key of this process (in tests a
            # test database and a temporary media folder).
            "DATABASE_URL": database_url(),
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            **environ,
        }

    def __enter__(self):
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            self.command,
            cwd=settings.BASE_DIR,
            env=self.environ,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while fetch(f"{self.url}/robots.txt", timeout=2)[0] != 200:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError(f"gunicorn did not start, see {self.log_path}")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def log_text(self):
        return self.log_path.read_text(errors="replace")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(cookies=None):
    handlers = [NoRedirects()]
    if cookies is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(cookies))
    return urllib.request.build_opener(*handlers)


def fetch(url, data=None, headers=None, timeout=30, using=None):
    """(status, body, seconds); status 0 when no HTTP answer came."""
    body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
    request = urllib.request.Request(
        url, data=body, headers={"User-Agent": BROWSER, **(headers or {})}
    )
    started = time.monotonic()
    try:
        with (using or opener()).open(request, timeout=timeout) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return (
            error.code,
            error.read().decode(errors="replace"),
            time.monotonic() - started,
        )
    except OSError:
        return 0, "", time.monotonic() - started


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with `form_id`."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in (
            "submit",
            "button",
            "image",
            "file",
            "reset",
        ):
            if kind not in ("checkbox", "radio"):
                self.fields.append((attrs["name"], attrs.get("value") or ""))
            elif "checked" in attrs:
                # What browsers send for a box without a value.
                self.fields.append((attrs["name"], attrs.get("value") or "on"))
        elif tag == "select":
            self.select = {"name": attrs["name"], "chosen": [], "first": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and self.select["first"] is not None:
                chosen = [self.select["first"]]
            self.fields += [(self.select["name"], value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


class Editor:
    """A signed-in member of staff working in the admin."""

    def __init__(self, site, username, password):
        self.site = site
        self.cookies = http.cookiejar.CookieJar()
        self.opener = opener(self.cookies)
        fetch(f"{site}/admin/login/", using=self.opener)
        status, _, _ = self.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )
        if status != 302:
            raise RuntimeError(f"{username} could not sign in ({status})")

    def csrf_token(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def post(self, path, data):
        data = {**data, "csrfmiddlewaretoken": self.csrf_token()}
        return fetch(f"{self.site}{path}", data, using=self.opener)

    def open_form(self, path, form_id):
        """The change form's fields, as loaded into the browser, or None."""
        status, page, _ = fetch(f"{self.site}{path}", using=self.opener)
        if status != 200:
            return None
        parser = FormFields(form_id)
        parser.feed(page)
        return parser.fields

    def submit(self, path, fields, **changes):
        """Send `fields` with `changes`; (status, page, seconds). 302 means saved."""
        sent = [(name, value) for name, value in fields if name not in changes]
        sent += list(changes.items()) + [("_save", "Sichern")]
        return fetch(
            f"{self.site}{path}",
            sent,
            headers={"X-CSRFToken": self.csrf_token()},
            using=self.opener,
        )

    def run_action(self, changelist, action, pks):
        return self.post(changelist, {"action": action, "_selected_action": pks})[0]
