"""``python -m newsgraph`` is the ``newsgraph`` command."""
import sys

from newsgraph.cli import main

sys.exit(main())
