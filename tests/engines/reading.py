"""What the multi-engine tests do as readers: plain GETs, and waiting for
something to show."""

import time
import urllib.error
import urllib.request


def get(url, opener=None):
    """Status, headers and text of a GET, as a reader's browser makes it."""
    try:
        response = (opener or urllib.request.build_opener()).open(url, timeout=10)
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")
    return response.status, response.headers, response.read().decode(errors="replace")


def read_until(url, wanted, seconds):
    """Read `url` until `wanted(status, text)`: how long that took and the
    (status, headers, text) that showed it, or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        answer = get(url)
        if wanted(answer[0], answer[2]):
            return time.monotonic() - started, answer
        time.sleep(0.05)
    return None


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"nach {seconds} s nicht eingetreten")
        time.sleep(0.1)
