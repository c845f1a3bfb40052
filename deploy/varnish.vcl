# Varnish in front of the app servers: a shared cache that drops exactly
# the pages a change retires, the way the page cache does inside Django.
#
# Debian's varnish (7.1) and varnish-modules (0.20, for vmod_xkey); `make
# varnish` installs both. Where the app servers are and who may purge is
# not in this file but in newsroom-backends.vcl, found on vcl_path; the
# example deploy/varnish-backends.vcl serves one local gunicorn:
#   cp deploy/varnish-backends.vcl /etc/varnish/newsroom-backends.vcl
#   varnishd -a :80 -f /path/to/deploy/varnish.vcl \
#     -p vcl_path=/etc/varnish:/usr/share/varnish/vcl -s malloc,1g
# and on every app server DJANGO_VARNISH_PURGE_URLS=http://varnish-host:80.
#
# Reader pages say `Cache-Control: public, max-age=0, s-maxage=1,
# stale-while-revalidate=5`, never more than until the next change the
# clock makes (a scheduled publication, the end of an Eilmeldung): Varnish
# keeps them for s-maxage and serves them stale, while one request fetches
# a fresh copy, for stale-while-revalidate (grace), so such a change
# reaches readers without a purge. A change an editor makes arrives as a
# purge of its keys the moment it commits (pagecache.edge): every page
# that shows it is gone, the next reader's request renders it anew and
# the readers behind that one wait for the same fetch. Since Varnish is
# told of every change, Django lets it keep pages longer than s-maxage
# (`Surrogate-Control: max-age=…`, as long as its own page cache does).

vcl 4.1;

import std;
import xkey;

include "newsroom-backends.vcl";

sub vcl_recv {
    call newsroom_backend;

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Nicht erlaubt"));
        }
        # Pages go at once; a soft purge would serve them for their grace.
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "xkey-purge fehlt"));
        }
        return (synth(200, "Entfernt: " + req.http.n-gone));
    }
    # Only we say which copy is shared (vcl_backend_fetch).
    unset req.http.X-Newsroom-Shared-Copy;

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin and previews (articles, fronts, ads) are for staff and
    # holders of a preview link; Django marks them private anyway.
    if (req.url ~ "^/admin(/|$)" || req.url ~ "^/([^?]*/)?vorschau/") {
        return (pass);
    }
    # A signed-in editor or a form's visitor: Django's own check
    # (pagecache.middleware.for_readers_only).
    if (req.http.Authorization ||
        req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Readers get no cookies from us; whatever else they send (a tracker
    # of another site's) must not split the cache.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_fetch {
    # Pages kept here go to many readers: Django leaves the single-use ad
    # and view tokens out, and the page's scripts fetch them per reader.
    set bereq.http.X-Newsroom-Shared-Copy = "1";
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Nothing is kept that doesn't say for how long (Varnish would keep it
    # for default_ttl): s-maxage, else max-age, else Expires.
    if (beresp.http.Cache-Control !~ "(?i)(s-maxage|max-age)=" &&
        !beresp.http.Expires) {
        set beresp.ttl = 0s;
    }
    # Grace is the page's stale-while-revalidate (Varnish's default), never
    # default_grace: a page must not outlive the next scheduled change.
    if (beresp.http.Cache-Control !~ "(?i)stale-while-revalidate=") {
        set beresp.grace = 0s;
    }
    # The app servers purge us (DJANGO_VARNISH_PURGE_URLS): then they let
    # us keep a page for as long as their page cache does, still never
    # past the next scheduled change.
    if (beresp.http.Surrogate-Control ~ "(^|[ ,])max-age=[0-9]+") {
        set beresp.ttl = std.duration(regsub(beresp.http.Surrogate-Control,
            "^(.*[ ,])?max-age=([0-9]+).*$", "\2s"), 0s);
        set beresp.grace = std.duration(regsub(beresp.http.Surrogate-Control,
            "^.*stale-while-revalidate=([0-9]+).*$", "\1s"), 0s);
    }

    # Pages, feeds and the ticker's answers leave compressed; Django
    # compresses nothing itself.
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript))" &&
        !beresp.http.Content-Encoding) {
        set beresp.do_gzip = true;
    }
    # Falls through to the built-in rules: private, no-store, no-cache,
    # Surrogate-Control: no-store and Set-Cookie are never kept.
}

sub vcl_deliver {
    # The keys are for purging, and for the purgers to look at.
    if (client.ip !~ purgers) {
        unset resp.http.xkey;
        unset resp.http.Surrogate-Key;
    }
    unset resp.http.Surrogate-Control;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    if (obj.uncacheable) {
        set resp.http.X-Edge-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "HIT";
    } else {
        set resp.http.X-Edge-Cache = "MISS";
    }
}
