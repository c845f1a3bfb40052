"""varnishd with deploy/varnish.vcl in front of app servers on this
machine, for the benchmark and the multi-engine tests (`make varnish`
installs it)."""

import shutil
from pathlib import Path

from django.conf import settings


def backends_vcl(app_ports):
    """newsroom-backends.vcl for app servers on this machine at `app_ports`."""
    backends = "".join(
        f'backend app{number} {{ .host = "127.0.0.1"; .port = "{port}"; '
        f".probe = newsroom_alive; }}\n"
        for number, port in enumerate(app_ports, 1)
    )
    added = "".join(
        f"    app_servers.add_backend(app{number});\n"
        for number in range(1, len(app_ports) + 1)
    )
    return f"""import directors;
probe newsroom_alive {{ .url = "/robots.txt"; .interval = 1s; .timeout = 1s;
    .window = 2; .threshold = 1; .initial = 1; }}
{backends}
acl purgers {{ "127.0.0.1"; "::1"; }}
sub vcl_init {{
    new app_servers = directors.round_robin();
{added}}}
sub newsroom_backend {{ set req.backend_hint = app_servers.backend(); }}
"""


def varnishd_command(port, app_ports, run_dir):
    """The command line of a varnishd in the foreground on `port`.

    `run_dir` must be readable by Varnish's unprivileged user, who compiles
    the configuration.
    """
    run_dir = Path(run_dir)
    (run_dir / "newsroom-backends.vcl").write_text(backends_vcl(app_ports))
    return [
        shutil.which("varnishd") or "/usr/sbin/varnishd",
        "-F",
        *("-a", f"127.0.0.1:{port}"),
        *("-T", "none"),
        *("-n", str(run_dir / "varnish")),
        *("-f", str(Path(settings.BASE_DIR) / "deploy" / "varnish.vcl")),
        *("-p", f"vcl_path={run_dir}:/usr/share/varnish/vcl"),
        *("-s", "malloc,64m"),
    ]
