"""Faults during a real `smesa build`: killed at any point, two at once, a full disk, a
site/ that cannot be replaced, Pagefind failing or writing a broken index. Each leaves
the published site/ as it was, no process and no staging folder behind, and says what
went wrong in one line without a traceback."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from smesa.site.build import TODAY_VARIABLE, build_site
from smesa.site.pagefind import verify_index
from tests.conftest import TODAY, RepoFactory
from tests.test_background import gone_within
from tests.test_site_build import site_repository, smesa_build, snapshot

pytestmark = pytest.mark.build

LINUX = sys.platform == "linux"
ENV = {**os.environ, TODAY_VARIABLE: TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository built once: site/ published and the generated pages in content/, so
    that a build in a copy writes only into its staging folder."""
    root = site_repository(RepoFactory(tmp_path_factory.mktemp("faults")))
    done = smesa_build(root)
    assert done.returncode == 0, done.stderr[-3000:]
    return root


@pytest.fixture
def repo(built: Path, tmp_path: Path) -> Path:
    return copy_repository(built, tmp_path / "repo")


def copy_repository(built: Path, target: Path) -> Path:
    shutil.copytree(built, target, symlinks=True, dirs_exist_ok=True)
    return target


def site_folders(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("site"))


def start_build(root: Path, env: dict[str, str] = ENV, **popen) -> subprocess.Popen[str]:
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen(
        [sys.executable, "-m", "smesa.cli", "build"], cwd=root, env=env, text=True, **popen
    )


def last_line(done: subprocess.CompletedProcess[str] | tuple[int, str]) -> str:
    stderr = done.stderr if isinstance(done, subprocess.CompletedProcess) else done[1]
    assert "Traceback" not in stderr, stderr[-3000:]
    return stderr.strip().splitlines()[-1]


# -- killed ---------------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, from the parent pid of each process in /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def runs_pagefind(pid: int) -> bool:
    for child in descendants(pid):
        try:
            if b"pagefind" in Path(f"/proc/{child}/cmdline").read_bytes():
                return True
        except OSError:
            pass
    return False


def staging_folders(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.name.startswith("site.tmp-")]


# When to kill a build (given its process and its staging folders): the moment its
# staging folder exists (before any child), with its children at work on the pages,
# sanitiser and downloads, once MkDocs writes the Chinese pages, and while Pagefind
# indexes the whole site.
KILL_POINTS: dict[str, Callable[[subprocess.Popen[str], list[Path]], bool]] = {
    "staging folder made": lambda build, folders: bool(folders),
    "children forked": lambda build, folders: len(descendants(build.pid)) >= 3,
    "Chinese pages written": lambda build, folders: any(
        (folder / "zh" / "index.html").exists() for folder in folders
    ),
    "pagefind running": lambda build, folders: runs_pagefind(build.pid),
}


@pytest.mark.skipif(not LINUX, reason="reads the process tree in /proc")
def test_a_killed_build_leaves_no_process_and_the_next_build_cleans_up(repo: Path):
    before = snapshot(repo / "site")
    stale: list[str] = []  # the folder of the build killed before
    for point, reached in KILL_POINTS.items():
        # No pipes: a surviving child holding them would keep the test waiting for good.
        build = start_build(repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not reached(build, [p for p in staging_folders(repo) if p.name not in stale]):
            assert build.poll() is None, f"the build ended before {point}"
            assert time.monotonic() < deadline, f"{point}: not reached in 120 s"
            time.sleep(0.005)
        processes = descendants(build.pid)
        build.send_signal(signal.SIGKILL)
        build.wait()
        survivors = gone_within(processes, 5)
        for pid in survivors:
            os.kill(pid, signal.SIGKILL)
        assert survivors == [], f"killed when {point}: children survived"
        assert snapshot(repo / "site") == before, f"killed when {point}: site/ changed"
        # This build removed the folder of the one killed before, and left its own.
        stale = [p.name for p in staging_folders(repo)]
        assert len(stale) == 1, f"killed when {point}: {stale}"
    done = smesa_build(repo)
    assert done.returncode == 0, done.stderr[-3000:]
    assert site_folders(repo) == ["site"]


def hold_lock(folder: Path) -> subprocess.Popen[str]:
    """Another process holding the lock of `folder`, as a running build does."""
    script = (
        "import fcntl, os, sys, time\n"
        "fd = os.open(sys.argv[1], os.O_RDONLY)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\n"
        "time.sleep(600)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def test_two_builds_at_once_keep_each_others_folders_and_remove_dead_ones(repo: Path):
    for name in ("site.tmp-held", "site.tmp-dead", "site.old-dead"):
        (repo / name / "assets").mkdir(parents=True)
        (repo / name / "assets" / "page.html").write_text(name, "utf-8")
    holder = hold_lock(repo / "site.tmp-held")
    try:
        first = start_build(repo)  # its first step removes the folders of dead builds
        deadline = time.monotonic() + 60
        while {p.name for p in staging_folders(repo)} <= {"site.tmp-held", "site.tmp-dead"}:
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        second = start_build(repo)  # while the first is building
        outcomes = [(b.communicate()[1], b.returncode) for b in (first, second)]
    finally:
        holder.kill()
        holder.wait()
    for stderr, code in outcomes:
        assert code == 0, stderr[-3000:]
        assert "Traceback" not in stderr
    assert site_folders(repo) == ["site", "site.tmp-held"]
    assert (repo / "site.tmp-held/assets/page.html").read_text("utf-8") == "site.tmp-held"
    assert (repo / "site/index.html").is_file()


def test_a_locked_folder_is_kept_and_a_free_one_removed(repo: Path):
    from smesa.site.build import remove_stale_folders

    for name in ("site.tmp-a", "site.tmp-b", "site.old-c", "site.other"):
        (repo / name).mkdir()
    holder = hold_lock(repo / "site.tmp-a")
    try:
        removed = remove_stale_folders(repo)
    finally:
        holder.kill()
        holder.wait()
    assert [p.name for p in removed] == ["site.old-c", "site.tmp-b"]
    assert site_folders(repo) == ["site", "site.other", "site.tmp-a"]
    assert [p.name for p in remove_stale_folders(repo)] == ["site.tmp-a"]  # its holder died


# -- a full disk ----------------------------------------------------------------------


def mount_or_skip(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"this machine cannot mount a file system: {done.stderr.strip()}")


@contextlib.contextmanager
def mounted(point: Path, *args: str) -> Iterator[Path]:
    """`point` with a file system mounted on it (`mount *args point`), until the end."""
    point.mkdir(exist_ok=True)
    mount_or_skip(*args, str(point))
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def small_disk(point: Path, kib: int) -> contextlib.AbstractContextManager[Path]:
    return mounted(point, "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs")


def kib_used(path: Path) -> int:
    stat = os.statvfs(path)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize // 1024


def tree_kib(path: Path) -> int:
    return sum(-(-p.stat().st_size // 4096) * 4 for p in path.rglob("*") if p.is_file())


FAILED = re.compile(
    r"smesa: the site was not built: (cannot write site\.tmp-\w+/\S+|pagefind wrote an? \w* ?"
    r"site\.tmp-\w+/pagefind/\S+)[: ].*; site/ is unchanged"
)


@pytest.mark.skipif(not LINUX, reason="mounts a tmpfs")
def test_a_full_disk_at_any_size_fails_in_one_line_or_publishes_a_whole_site(
    built: Path, tmp_path: Path
):
    site_kib = tree_kib(built / "site")
    with small_disk(tmp_path / "sizing", 4 * site_kib) as sizing:
        repository_kib = kib_used(copy_repository(built, sizing / "repo"))
    outcomes = []
    # Room for this share of a second site: full while MkDocs copies the theme, while it
    # writes the pages, the charts and downloads, and while Pagefind writes its index.
    for share in (0.05, 0.4, 0.7, 0.8, 0.87, 0.9):
        with small_disk(tmp_path / f"disk-{share}", repository_kib + int(share * site_kib)) as disk:
            root = copy_repository(built, disk / "repo")
            before = snapshot(root / "site")
            done = smesa_build(root)
            assert site_folders(root) == ["site"], share
            if done.returncode == 0:
                assert sorted(verify_index(root / "site", ["en", "zh"])) == ["en", "zh"]
                outcomes.append("published")
                continue
            assert done.returncode == 1
            line = last_line(done)
            assert FAILED.fullmatch(line), line
            assert snapshot(root / "site") == before, share
            outcomes.append(line)
    assert any("No space left on device" in line for line in outcomes), outcomes


@pytest.mark.parametrize("limit", [50_000, 500_000])
def test_a_file_size_limit_fails_in_one_line(repo: Path, limit: int):
    # Where no file system can be mounted: a write past RLIMIT_FSIZE fails with EFBIG.
    before = snapshot(repo / "site")

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    build = start_build(repo, preexec_fn=limited)
    _, stderr = build.communicate()
    assert build.returncode == 1
    line = last_line((build.returncode, stderr))
    assert re.fullmatch(
        r"smesa: the site was not built: cannot write site\.tmp-\w+/\S+: File too large; "
        r"site/ is unchanged",
        line,
    ), line
    assert snapshot(repo / "site") == before
    assert site_folders(repo) == ["site"]


# -- a site/ that cannot be replaced --------------------------------------------------


@pytest.mark.parametrize("kind", ["file", "link"])
def test_a_site_that_is_no_folder_is_refused_before_building(repo: Path, kind: str):
    shutil.rmtree(repo / "site")
    if kind == "file":
        (repo / "site").write_text("not a site", "utf-8")
    else:
        (repo / "elsewhere").mkdir()
        (repo / "site").symlink_to("elsewhere")
    done = smesa_build(repo)
    assert done.returncode == 1
    assert last_line(done) == (
        f"smesa: the site was not built: {repo.resolve() / 'site'} is not a folder: move it "
        "away; site/ is unchanged"
    )
    assert site_folders(repo) == ["site"]
    if kind == "file":
        assert (repo / "site").read_text("utf-8") == "not a site"
    else:
        assert os.readlink(repo / "site") == "elsewhere"


@pytest.mark.skipif(not LINUX, reason="mounts a tmpfs")
def test_a_site_that_is_a_mount_point_is_kept_and_the_build_removed(repo: Path):
    before = snapshot(repo / "site")
    with small_disk(repo / "site", 64 * 1024):
        for name, content in before.items():
            (repo / "site" / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / "site" / name).write_bytes(content)
        done = smesa_build(repo)
        assert done.returncode == 1
        assert re.fullmatch(
            r"smesa: the site was built but not published: cannot replace site/ by "
            r"site\.tmp-\w+/: Device or resource busy; site/ is unchanged",
            last_line(done),
        ), done.stderr[-2000:]
        assert snapshot(repo / "site") == before
        assert site_folders(repo) == ["site"]


@pytest.mark.skipif(not LINUX, reason="mounts a read-only bind")
def test_a_repository_that_cannot_be_written_is_one_line(repo: Path):
    before = snapshot(repo / "site")
    with mounted(repo, "--bind", str(repo)):
        mount_or_skip("-o", "remount,bind,ro", str(repo))
        done = smesa_build(repo)
    assert done.returncode == 1
    assert last_line(done) == (
        f"smesa: the site was not built: cannot create a folder in {repo.resolve()}: "
        "Read-only file system; site/ is unchanged"
    )
    assert snapshot(repo / "site") == before
    assert site_folders(repo) == ["site"]


# -- Pagefind -------------------------------------------------------------------------


FAILING_PAGEFIND = """\
#!/bin/sh
echo "Running Pagefind" >&2
echo "Error: cannot read the site" >&2
exit 3
"""


def test_a_failing_pagefind_is_one_line_and_publishes_nothing(repo: Path, tmp_path: Path):
    fake = tmp_path / "fake" / "pagefind"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAILING_PAGEFIND, "utf-8")
    fake.chmod(0o755)
    before = snapshot(repo / "site")
    build = start_build(repo, env={**ENV, "SMESA_PAGEFIND": str(fake)})
    _, stderr = build.communicate()
    assert build.returncode == 1
    assert re.fullmatch(
        r"smesa: the site was not built: pagefind failed \(3\) indexing site\.tmp-\w+/: "
        r"Error: cannot read the site; site/ is unchanged",
        last_line((1, stderr)),
    )
    assert snapshot(repo / "site") == before
    assert site_folders(repo) == ["site"]


def cut_off(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def emptied(path: Path) -> None:
    path.write_bytes(b"")


def one_language(path: Path) -> None:
    entry = json.loads(path.read_text("utf-8"))
    del entry["languages"]["zh"]
    path.write_text(json.dumps(entry), "utf-8")


def no_pages(path: Path) -> None:
    entry = json.loads(path.read_text("utf-8"))
    entry["languages"]["zh"]["page_count"] = 0
    path.write_text(json.dumps(entry), "utf-8")


def first(pattern: str) -> Callable[[Path], Path]:
    return lambda output: sorted(output.glob(pattern))[0]


BROKEN_INDEXES = [
    (first("pagefind-entry.json"), emptied, r"an empty site/pagefind/pagefind-entry\.json"),
    (first("pagefind-entry.json"), cut_off, r"an unreadable site/pagefind/pagefind-entry\.json"),
    (first("pagefind-entry.json"), one_language, r"indexed languages \['en'\]"),
    (first("pagefind-entry.json"), no_pages, r"indexed no page in zh"),
    (first("fragment/*"), emptied, r"an empty site/pagefind/fragment/\S+\.pf_fragment"),
    (first("index/*"), cut_off, r"an unreadable site/pagefind/index/\S+\.pf_index: Compressed"),
    (first("*.pf_meta"), cut_off, r"an unreadable site/pagefind/pagefind\.\w+\.pf_meta"),
    (first("pagefind-ui.js"), emptied, r"an empty site/pagefind/pagefind-ui\.js"),
]


@pytest.mark.parametrize(("pick", "damage", "message"), BROKEN_INDEXES)
def test_a_broken_pagefind_index_is_refused(built: Path, tmp_path: Path, pick, damage, message):
    site = tmp_path / "site"
    shutil.copytree(built / "site" / "pagefind", site / "pagefind")
    assert verify_index(site, ["en", "zh"]) == json_pages(site)
    damage(pick(site / "pagefind"))
    with pytest.raises(Abort, match=f"^the site was not built: pagefind (wrote )?{message}"):
        verify_index(site, ["en", "zh"])


def json_pages(site: Path) -> dict[str, int]:
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert all(gzip.decompress(p.read_bytes()) for p in (site / "pagefind/index").iterdir())
    return {lang: meta["page_count"] for lang, meta in entry["languages"].items()}


# -- no fork ----------------------------------------------------------------------------


def test_a_build_with_another_thread_running_forks_nothing_and_publishes(
    repo: Path, monkeypatch: pytest.MonkeyPatch
):
    # As in `mkdocs serve`, whose server and watcher threads run during every rebuild.
    def no_fork() -> int:
        raise AssertionError("forked while another thread was running")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    shutil.rmtree(repo / "site")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        site = build_site(repo, today=TODAY)
    finally:
        stop.set()
        thread.join()
    assert site == repo / "site"
    assert sorted(verify_index(site, ["en", "zh"])) == ["en", "zh"]
    assert (site / "assets/charts").is_dir() and (site / "zh/cases/index.html").is_file()
    assert site_folders(repo) == ["site"]
