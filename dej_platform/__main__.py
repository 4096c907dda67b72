import sys

from dej_platform.cli import main

sys.exit(main())
