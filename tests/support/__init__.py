"""What the tests stand on, one home each: the office server and laptops (``harness``,
``server_fixtures``, ``proxy``, ``crashing_central``), the seeded workspaces (``workspace_world``,
``documents_world``, ``gui``), forms written on the spot (``forms``), register files
(``registers``), the console's browser (``console``), the clock (``clock``), images (``images``),
the bounded child process (``bounded``) and the scripted app (``scripted``).

Feature folders import the fixtures they need in their ``conftest.py``; test modules import the
helpers from here. Data the modules load lives under ``fixtures/``.
"""
