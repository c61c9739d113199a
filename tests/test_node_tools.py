"""The npm tools have one place for their versions: package.json, locked by
package-lock.json, installed by scripts/install-node-tools.sh with `npm ci`."""

from __future__ import annotations

import json
import re

from conftest import ROOT

PACKAGE = json.loads((ROOT / "package.json").read_text("utf-8"))
LOCK = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
INSTALL = (ROOT / "scripts" / "install-node-tools.sh").read_text("utf-8")


def test_package_json_pins_each_tool_exactly() -> None:
    pins = PACKAGE["dependencies"]
    assert set(pins) == {"axe-core", "lighthouse", "pagefind"}
    assert {name: v for name, v in pins.items() if not re.fullmatch(r"\d+\.\d+\.\d+", v)} == {}


def test_lock_file_matches_package_json_and_names_no_registry() -> None:
    packages = LOCK["packages"]
    assert LOCK["lockfileVersion"] == 3
    assert packages[""]["dependencies"] == PACKAGE["dependencies"]
    for name, version in PACKAGE["dependencies"].items():
        assert packages[f"node_modules/{name}"]["version"] == version
    # Every package carries its checksum; none names a host, so npm ci fetches from the
    # registry npm is configured with.
    assert [k for k, v in packages.items() if k and "integrity" not in v] == []
    assert [k for k, v in packages.items() if "resolved" in v] == []


def test_pagefind_keeps_its_binaries_for_every_platform() -> None:
    """npm ci installs the one matching the machine (os/cpu in the lock)."""
    packages = LOCK["packages"]
    optional = packages["node_modules/pagefind"]["optionalDependencies"]
    assert "@pagefind/linux-x64" in optional and len(optional) > 1
    for name, version in optional.items():
        assert packages[f"node_modules/{name}"]["version"] == version
        assert packages[f"node_modules/{name}"]["optional"] is True


def test_install_script_runs_npm_ci_and_holds_no_version() -> None:
    assert re.search(r"^npm ci ", INSTALL, re.MULTILINE)
    assert "npm install" not in INSTALL
    assert re.findall(r"@?\d+\.\d+\.\d+", INSTALL.split("set -euo pipefail", 1)[1]) == []


def test_pagefind_is_run_from_where_npm_puts_it_on_each_platform() -> None:
    """npm installs @pagefind/<system>-<cpu> for the machine (os/cpu in the lock); the
    build finds its binary there, named as Pagefind's runner names it, on every
    platform the lock file has a binary for."""
    from smesa.site import pagefind

    machines = [
        ("linux", "x86_64"), ("linux", "aarch64"), ("darwin", "arm64"), ("darwin", "x86_64"),
        ("win32", "AMD64"), ("win32", "ARM64"), ("freebsd14", "amd64"),
    ]  # fmt: skip
    found = {}
    for system, machine in machines:
        path = pagefind.executable_for(system, machine)
        found["/".join(path.relative_to(pagefind.NODE_MODULES).parts[:2])] = path.name
    optional = LOCK["packages"]["node_modules/pagefind"]["optionalDependencies"]
    assert set(found) == set(optional)
    assert found["@pagefind/windows-x64"] == "pagefind_extended.exe"
    assert found["@pagefind/darwin-arm64"] == "pagefind_extended"
    installed = pagefind.NODE_MODULES / "@pagefind"
    if installed.is_dir():  # this machine: the one package npm installed is the one run
        assert [p.name for p in installed.iterdir()] == [pagefind.EXECUTABLE.parents[1].name]
        assert pagefind.EXECUTABLE.is_file()


def test_install_script_finds_the_installed_pagefind_of_any_platform(tmp_path) -> None:
    """With the tools installed from this lock file, the script does nothing, npm or not
    (a PATH with no npm and no apt-get: reaching either fails)."""
    import shutil
    import subprocess

    import pytest

    from smesa.site import pagefind

    if not pagefind.EXECUTABLE.is_file():
        pytest.skip("the npm tools are not installed (make node-tools)")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "cmp", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    done = subprocess.run(
        ["bash", str(ROOT / "scripts/install-node-tools.sh")],
        env={"PATH": str(bin_dir)}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
