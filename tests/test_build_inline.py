"""The build's fallback: where no child may be forked (a thread runs, as under `mkdocs
serve`, or not on Linux), the same work runs in the build's own process and writes the
same site, file for file and byte for byte, as the build with its children."""

from __future__ import annotations

import threading

from conftest import TODAY, RepoFactory
from test_site_build import fixture_files, read_all, site_repository, smesa_build

from smesa.site.build import build_site
from smesa.site.processes import can_fork


def test_a_build_without_children_writes_the_same_site(tmp_path, monkeypatch):
    factory = RepoFactory(tmp_path)
    with_children = site_repository(factory, fixture_files())
    done = smesa_build(with_children)
    assert done.returncode == 0, done.stderr[-3000:]

    inline = site_repository(factory, fixture_files())
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(inline)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()  # so every child's work runs here
        build_site(inline, today=TODAY)
    finally:
        stop.set()
        thread.join()

    forked, alone = read_all(with_children / "site"), read_all(inline / "site")
    assert sorted(forked) == sorted(alone)
    assert [path for path in forked if forked[path] != alone[path]] == []
    assert len(forked) > 50  # the whole site, both languages
