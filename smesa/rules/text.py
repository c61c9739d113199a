"""Text safety: characters and Markdown the public outputs cannot hold literally."""

from __future__ import annotations
