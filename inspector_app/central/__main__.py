import sys

from inspector_app.central.cli import main

sys.exit(main())
