# Where deploy/varnish.vcl finds the app servers and who may purge:
# installed as newsroom-backends.vcl on Varnish's vcl_path. This example
# serves one gunicorn on this machine (`make serve`); for several, add a
# backend each and add it to the director below.

import directors;

probe newsroom_alive {
    .url = "/robots.txt";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = newsroom_alive;
}

# The app servers: they send the purges (DJANGO_VARNISH_PURGE_URLS).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new app_servers = directors.round_robin();
    app_servers.add_backend(app1);
}

sub newsroom_backend {
    set req.backend_hint = app_servers.backend();
}
