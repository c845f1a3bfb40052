"""Settings for Newsroom.

Values that differ between environments come from DJANGO_* variables (and
DATABASE_URL); the defaults are safe for local development.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from .env import env_bool, env_float, env_int, env_list, s3_media_storage

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)


def read_secret_key():
    """The key from the environment; `make`'s local file only where allowed.

    With DEBUG off and no explicit opt-in, a missing key stops the site
    rather than let a production server sign sessions with a file key.
    """
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    key_file = BASE_DIR / ".secret_key"
    if not (DEBUG or env_bool("DJANGO_ALLOW_LOCAL_SECRET_KEY")):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY ist nicht gesetzt: Ohne DEBUG startet die Seite "
            "nur mit einem geheimen Schlüssel aus der Umgebung. Für die lokale "
            "Entwicklung DJANGO_ALLOW_LOCAL_SECRET_KEY=1 setzen (make tut das), "
            "dann gilt der Schlüssel aus .secret_key."
        )
    if key_file.exists():
        return key_file.read_text().strip()
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY ist nicht gesetzt und .secret_key fehlt: einmal "
        "'make run' oder 'make test' ausführen, das legt die Datei an."
    )


SECRET_KEY = read_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# HTTPS only, in production (README "Production"): http is redirected,
# cookies travel over TLS alone and browsers remember it (HSTS). Off by
# default, so that `make run` and the tests stay on plain http.
HTTPS_ONLY = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env_int(
    "DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS_ONLY else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# Asks browsers to hard-code the domain as HTTPS-only, which takes months to
# undo: only on purpose.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Set only behind our own proxy (deploy/nginx.conf), which sets
# X-Forwarded-Proto itself and appends the client's address to
# X-Forwarded-For; anywhere else both headers are forged at will, so
# neither https nor an address is taken from them.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

INSTALLED_APPS = [
    # Django's admin with the newsroom's sign-in (accounts.admin).
    "accounts.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Its widget templates, for FORM_RENDERER below.
    "django.forms",
    "csp",
    "taggit",
    "reversion",
    "reversion_compare",
    "django_prose_editor",
    "images",
    "articles",
    "recommendations",
    "readership",
    "ads",
    "live",
    # After articles and live: it reads their texts' links.
    "embeds",
    "agency",
    "galleries",
    "fronts",
    "pages",
    "counting",
    "pagecache",
    "accounts",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "operations",
    # Background work (jobs): Django's tasks API, stored in the database.
    "django_tasks",
    "django_tasks_db",
    "jobs",
]

# Benchmarks, drills and the demo loaders: for development only, never needed
# to serve a page. make and the tests set DJANGO_DEVTOOLS=1 (see the README).
DEVTOOLS = env_bool("DJANGO_DEVTOOLS", DEBUG)
if DEVTOOLS:
    INSTALLED_APPS += ["devtools", "demo"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, so that cached pages get these headers too.
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Above sessions and CSRF: a page from the cache skips them, and a page
    # that needed them is never stored. Every response leaves it with its
    # own ads and view tokens (pagecache.finishers).
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Django's, with the storage made only for a request that uses it.
    "accounts.middleware.LazyMessageMiddleware",
    # Below messages: it tells the person signed out why.
    "accounts.middleware.SessionTimeoutMiddleware",
    "articles.middleware.ArticleRedirectFallbackMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Reader pages load only our own scripts, styles, images and beacons. They
# have no inline script to allow (JSON-LD is data, which CSP leaves alone),
# so no nonce either: a nonce would be baked into pages the cache shares.
READER_CSP = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": READER_CSP}
# The admin's policy (newsroom.middleware) adds inline styles (the editor
# inserts a <style> element; the ad report and django-reversion-compare use
# style attributes) and the body editor's import map, an inline script that
# gets the response's nonce. Admin pages are never cached: the nonce stays
# fresh.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **READER_CSP,
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
    }
}
# Nothing on the site needs these browser features; no embedded page either.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

ROOT_URLCONF = "newsroom.urls"

# Widgets render through the project's templates, so that templates/ may
# override a widget's (the admin's related-object links, in German).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# Our own extensions for the article body editor (articles.admin): German
# names for its menu, and a button for a subheading (an h2, which Heading
# already allows). They add no markup, so the sanitiser allows nothing new.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [
            static_lazy("articles/admin/prose_editor_de.js"),
            static_lazy("articles/admin/prose_editor_subheading.js"),
        ],
        "extensions": {
            "GermanMenu": html_tags(tags=[]),
            "SubheadingButton": html_tags(tags=[]),
        },
    }
]

# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        # A connection broken while idle (database restarted) is replaced
        # instead of failing the next request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each transaction takes SQLite's write lock when it begins. Begun as a
    # reader, the second of two transactions that read, then write (the
    # server and its worker, two gunicorn workers) failed with "database is
    # locked"; now it waits until the first one commits.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

# A read replica of the same database, if any: reader queries go there
# (newsroom.routers). Tests use the primary for both.
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
# The local-memory cache unless REDIS_URL names a Redis server, which all app
# servers then share (page cache, ad campaigns, rate limits). While Redis is
# unreachable the site runs as if nothing were cached (operations.cache).
if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "operations.cache.ForgivingRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "newsroom"),
            # A dead or unreachable Redis must not hold up a page.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "operations.cache.LocalMemoryCache",
            # About 70 KB a page: up to some 70 MB per process.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# Reader pages in the cache: at most this long, and never past the next
# scheduled change. "Meistgelesen" inside cached pages lags by up to this
# plus its own refresh minute.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 60)
# What a CDN or nginx in front may keep (s-maxage) and serve while it
# fetches a fresh copy (stale-while-revalidate); a change reaches readers
# behind it after at most these seconds.
PAGE_SHARED_MAX_AGE = env_int("DJANGO_PAGE_SHARED_MAX_AGE", 1)
PAGE_STALE_WHILE_REVALIDATE = env_int("DJANGO_PAGE_STALE_WHILE_REVALIDATE", 5)
# Varnish servers in front (deploy/varnish.vcl), as http://host:port,
# comma-separated: a change purges exactly the pages that show it there
# (pagecache.edge). Each must list this server in its `purgers` ACL.
VARNISH_PURGE_URLS = env_list("DJANGO_VARNISH_PURGE_URLS", [])
VARNISH_PURGE_TIMEOUT = env_float("DJANGO_VARNISH_PURGE_TIMEOUT", 1.0)
# Longer than a page takes to render: the second purge of a change, a job
# delayed by this (see pagecache.edge.purge_after_commit).
VARNISH_PURGE_REPEAT = env_float("DJANGO_VARNISH_PURGE_REPEAT", 2.0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff sign in through the admin; there is no separate login page.
LOGIN_URL = "admin:login"
# Where a login ends when its `next` is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"

# django-axes first: it refuses a locked-out sign-in before the password
# is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one name from one address lock that pair out
# for a quarter of an hour; other names and addresses can still sign in.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.throttling.locked_out"
AXES_CLIENT_IP_CALLABLE = "counting.rules.client_ip"

# Every account here is staff, and a staff password guards unpublished
# stories and advertisers' money: twelve characters at least.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A signed-in session ends with the browser, after a working day at most,
# and after an hour without a request (accounts.middleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(env_float("DJANGO_SESSION_HOURS", 8) * 3600)
SESSION_IDLE_TIMEOUT = int(env_float("DJANGO_SESSION_IDLE_MINUTES", 60) * 60)

# Staff with a confirmed authenticator app (TOTP) always give its code when
# signing in. "superusers" or "staff" makes that compulsory for them, with
# or without a device.
TWO_FACTOR_REQUIRED_FOR = os.environ.get("DJANGO_TWO_FACTOR_REQUIRED_FOR", "")
OTP_TOTP_ISSUER = "Newsroom"
# Nobody, superusers included, reads another person's secret in the admin;
# a lost phone means deleting the device and setting up a new one.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached for a year by browsers and CDNs), each file also
    # stored gzip- and brotli-compressed by collectstatic.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# A file missing from the manifest (collectstatic not run yet) keeps its
# plain name instead of breaking the page.
WHITENOISE_MANIFEST_STRICT = False
# `make` runs collectstatic, which writes the hashed names; the finders also
# serve files added since under their plain names.
WHITENOISE_USE_FINDERS = True
# Re-read static files on every request (slow): for editing CSS locally.
WHITENOISE_AUTOREFRESH = env_bool("DJANGO_STATIC_AUTOREFRESH", DEBUG)

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Media names never change content (uploads end in a digest of their
# bytes, renditions name their crop, focal point and width), so browsers
# and CDNs keep them for a year. Sent by Django's media view, set on each
# object in S3, and written in deploy/nginx.conf.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
# With DJANGO_S3_BUCKET (and the other DJANGO_S3_* variables, see README),
# uploads and renditions live in an S3 bucket instead of MEDIA_ROOT; readers
# still find them under MEDIA_URL on the site's own host.
if media_storage := s3_media_storage(os.environ, MEDIA_CACHE_CONTROL):
    STORAGES["default"] = media_storage
# Uploaded media is served by Django itself unless a web server in front
# takes over the /media/ prefix.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)

TAGGIT_CASE_INSENSITIVE = True

# "Das könnte Sie auch interessieren": overrides of recommendations.ranking's
# RankingConfig, e.g. the language of the texts or the maximum age in days.
NEWSROOM_RELATED = {
    "language": os.environ.get("DJANGO_RELATED_LANGUAGE", "de"),
}

# Jobs wait in the database for `manage.py run_worker` (docs/SCALING.md);
# the tests run them at once (tests/conftest.py). A worker not heard from
# for JOBS_WORKER_TIMEOUT seconds is taken for dead and its job run again.
# Edge purges have a queue and a fast-polling worker of their own: a change
# reaches readers behind Varnish within a second, whatever else waits.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "edge"],
    }
}
JOBS_WORKER_TIMEOUT = env_float("DJANGO_JOBS_WORKER_TIMEOUT", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "database_outage": {"()": "operations.logging.DatabaseOutageInOneLine"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["database_outage"]}
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
