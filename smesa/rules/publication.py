"""The publication boundary: ids and page paths that the site can hold, one page each."""

from __future__ import annotations
