"""Static files in production: hashed names, served compressed, cached for good (issue 15).

The production settings collect into a throwaway STATIC_ROOT (the big API-browser assets are
left out to keep the test short) and the project's own WSGI application answers; what
whitenoise sends is read from its headers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import io, json, os, sys
from django.core.management import call_command
import django
django.setup()
call_command("collectstatic", interactive=False, verbosity=0,
             ignore_patterns=["drf_spectacular_sidecar", "rest_framework", "mfa", "account"])
from django.contrib.staticfiles.storage import staticfiles_storage
from manyi.wsgi import application

def get(path, encoding):
    seen = {}
    def start(status, headers):
        seen["status"] = status
        seen["headers"] = dict(headers)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "a.cn",
               "SERVER_PORT": "443", "wsgi.url_scheme": "https", "HTTP_HOST": "a.cn",
               "HTTP_ACCEPT_ENCODING": encoding, "wsgi.input": io.BytesIO(),
               "wsgi.errors": sys.stderr, "wsgi.multithread": False,
               "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
               "SERVER_PROTOCOL": "HTTP/1.1"}
    body = b"".join(application(environ, start))
    return {"status": seen["status"], "headers": seen["headers"], "size": len(body)}

url = staticfiles_storage.url("vendor/bootstrap/bootstrap.min.css")
print(json.dumps({"url": url, "br": get(url, "br, gzip"), "gzip": get(url, "gzip"),
                  "plain": get(url, "")}))
"""


@pytest.mark.slow
def test_production_serves_hashed_compressed_static_files_cached_for_good(tmp_path):
    env = {
        **os.environ,
        "MANYI_ENV": "production",
        "SECRET_KEY": "s" * 60,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "a.cn",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MANYI_VAR_DIR": str(tmp_path),
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "manyi.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    # The name carries the content's hash, so the file may be kept for good.
    assert seen["url"].startswith("/static/vendor/bootstrap/bootstrap.min.")
    assert seen["url"] != "/static/vendor/bootstrap/bootstrap.min.css"
    for encoding, expected in (("br", "br"), ("gzip", "gzip")):
        answer = seen[encoding]
        assert answer["status"].startswith("200")
        assert answer["headers"]["Content-Encoding"] == expected
        assert "immutable" in answer["headers"]["Cache-Control"]
        assert "max-age=315360000" in answer["headers"]["Cache-Control"]
    assert seen["br"]["size"] < seen["plain"]["size"] / 4
    assert "Content-Encoding" not in seen["plain"]["headers"]
