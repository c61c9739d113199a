"""MkDocs site plumbing: the logic behind the thin hook file ``hooks/smesa_site.py``.

Each module handles one way the bilingual build (Material + mkdocs-static-i18n 1.3.1 +
Pagefind) goes wrong out of the box; its docstring says what goes wrong and why the fix works.
"""
