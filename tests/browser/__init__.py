"""Browser tests of the built site in headless Chromium.

A package, so that its conftest.py does not shadow tests/conftest.py (both would be
imported as the module `conftest`).
"""
