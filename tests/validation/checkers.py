"""The validators from npm (devtools/npm/package.json), as the tests use them.

`make validators` installs them into .cache/npm.
"""

import json
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from django.conf import settings

NPM_FOLDER = Path(settings.BASE_DIR) / ".cache" / "npm" / "node_modules"
VNU_JAR = NPM_FOLDER / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = Path(__file__).resolve().parent.parent / "browser" / "vendor" / "axe.min.js"


def html_checker_errors(pages):
    """The Nu HTML checker's errors for {name: html}, as "name: message" lines."""
    java = shutil.which("java")
    if java is None:
        raise unittest.SkipTest("java is missing: the Nu HTML checker needs java 17")
    if not VNU_JAR.exists():
        raise AssertionError(f"{VNU_JAR} is missing: run `make validators`")
    with tempfile.TemporaryDirectory(prefix="newsroom-vnu-") as folder:
        names = {}
        for number, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page-{number}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        run = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
            + [str(Path(folder) / file_name) for file_name in names],
            capture_output=True,
            text=True,
            timeout=300,
        )
    # The checker reports on stderr, with a non-zero status when it found errors.
    messages = json.loads(run.stderr)["messages"]
    return [
        f"{names.get(Path(message.get('url', '')).name, message.get('url'))}: "
        f"{message['message']} (Zeile {message.get('lastLine')}: "
        f"{message.get('extract', '').strip()})"
        for message in messages
    ]
