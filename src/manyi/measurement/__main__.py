"""``python -m manyi.measurement`` — see :mod:`manyi.measurement.cli`."""

import sys

from .cli import main

sys.exit(main())
