"""`make setup`, before a virtual environment is made: refuse a Python older than the
project's `requires-python` with a sentence, not pip's list of versions it ignored.

Debian 12's python3 is 3.11.2, and a pinned dependency needs 3.11.5 (pymdown-extensions
13): pip would only say that no version of it was found. Written for any Python 3, as
an older one may be what runs it.
"""

import re
import sys
from pathlib import Path

project = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "pyproject.toml"
found = re.search(r'^requires-python\s*=\s*">=([0-9.]+)"', project.read_text("utf-8"), re.M)
if found is None:
    sys.exit(f'{project}: no requires-python = ">=X.Y.Z" line')
needed = tuple(int(part) for part in found.group(1).split("."))
if sys.version_info[: len(needed)] < needed:
    have = ".".join(str(part) for part in sys.version_info[:3])
    sys.exit(
        f"make setup: {sys.executable} is Python {have}; the pinned tools need Python "
        f"{found.group(1)} or newer.\nInstall one (python.org; on Debian 12, for example, "
        "with pyenv or uv) and run: make setup PYTHON=/path/to/that/python3"
    )
