"""Entry script of the frozen build: the ``inspector-app`` command without Python installed.

``--self-test`` and ``--version`` are answered here before the CLI parser is built, so a bundle
that lacks a command module (or has a broken one) can still say what is wrong with it. Everything
else goes to ``inspector_app.cli.main.main``, exactly like the console script.
"""

import sys


def _frozen_main(argv: list[str]) -> int:
    if "--self-test" in argv:
        from inspector_app.ui.selftest import run

        return run()
    if argv == ["--version"]:
        from inspector_app.ui.selftest import app_version

        print(f"inspector-app {app_version()}")
        return 0
    from inspector_app.cli.main import main

    return main(argv)


if __name__ == "__main__":
    sys.exit(_frozen_main(sys.argv[1:]))
