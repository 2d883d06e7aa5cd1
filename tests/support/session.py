"""Signing in to the console as a browser would, for the tests that drive it over HTTP."""

from __future__ import annotations

import re

import httpx

from tests.support.harness import PASSWORD


def console_login(url: str, username: str) -> httpx.Client:
    """A client signed in to the console at ``url`` as ``username`` (the login form's CSRF token
    read from the page, as a browser sends it); the overview it lands on is checked."""
    client = httpx.Client(base_url=url, follow_redirects=True, timeout=60)
    csrf = csrf_of(client.get("/console/login").text)
    r = client.post("/console/login", data={"username": username, "password": PASSWORD, "csrf": csrf})
    assert r.status_code == 200 and "总览" in r.text, r.text[:500]
    return client


def csrf_of(page: str) -> str:
    """The CSRF token a console page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found[1]
