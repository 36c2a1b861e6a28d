"""Entry point: ``python -m gen`` (``make figures``)."""
import sys

from gen.build import main

sys.exit(main())
