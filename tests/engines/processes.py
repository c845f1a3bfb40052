"""The programs a multi-engine test starts: each in its own process group,
on a free port, stopped (or killed and started again) by the test."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from devtools.varnish import varnishd_command

BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A program that answers `ready_url` once it has started."""

    def __init__(self, name, args, ready_url, env=None, log_dir=None):
        self.name = name
        self.args = args
        self.ready_url = ready_url
        self.env = env
        self.log = Path(log_dir or "/tmp") / f"{name}.log"
        self.process = None

    def start(self, seconds=30):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.args,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + seconds
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} startet nicht: {self.log}")
            time.sleep(0.1)
        return self

    def answers(self):
        try:
            urllib.request.urlopen(self.ready_url, timeout=2)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    def stop(self, how=signal.SIGTERM):
        """Signal the whole group (gunicorn's workers, varnishd's child)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, how)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def kill(self):
        """Stop without letting it finish what it is doing."""
        self.stop(signal.SIGKILL)


def gunicorn(name, port, env, log_dir):
    address = f"127.0.0.1:{port}"
    return Process(
        name,
        [
            str(BIN / "gunicorn"),
            *("--bind", address, "--workers", "2", "--log-level", "warning"),
            "newsroom.wsgi",
        ],
        f"http://{address}/robots.txt",
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        log_dir=log_dir,
    )


class WorkerProcess(Process):
    """`manage.py run_worker`, which answers no URL: it has started once
    its log names its process."""

    def answers(self):
        return f"(PID {self.process.pid})" in self.log.read_text(errors="replace")

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None


def worker(name, queue, interval, env, log_dir):
    """A worker for `queue`, asking for jobs every `interval` seconds when
    it has none."""
    return WorkerProcess(
        name,
        [
            sys.executable,
            "manage.py",
            "run_worker",
            *(f"--queue-name={queue}", f"--interval={interval}"),
            *("--no-startup-delay", "--no-reload"),
        ],
        ready_url=None,
        # Its first line must reach the log before it exits or is killed.
        env={**env, "PYTHONUNBUFFERED": "1"},
        log_dir=log_dir,
    )


def varnish(port, app_ports, run_dir):
    """varnishd with deploy/varnish.vcl in front of the app servers."""
    return Process(
        "varnish",
        varnishd_command(port, app_ports, run_dir),
        f"http://127.0.0.1:{port}/robots.txt",
        log_dir=run_dir,
    )
