"""``python -m lecture_studio``: the same as the ``lecture-studio`` command."""

import sys

from .cli import main

sys.exit(main())
