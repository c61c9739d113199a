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
