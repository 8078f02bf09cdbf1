"""Tests of the Binder configuration, through the Dockerfile repo2docker renders for this repo.

`repo2docker --no-build --debug` prints the Dockerfile without building it (no Docker engine
needed), so these tests check what Binder would do: Python 3.11, the pinned requirements
installed before the repository is copied in (so a change to a lesson reuses the cached
layers), and the course package installed by postBuild after the copy.
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from course_files import REPO_ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BINDER = REPO_ROOT / "binder"
REPO2DOCKER = Path(sys.executable).parent / "repo2docker"
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[0-9][A-Za-z0-9.!+_-]*$")


def _decode(name: str) -> str:
    """repo2docker names copied build files by escaping each character c as -{ord(c):02x}."""
    return re.sub(r"-([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), name)


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """The Dockerfile repo2docker renders for the repository root, one entry per line."""
    assert REPO2DOCKER.exists(), f"repo2docker not installed next to {sys.executable}"
    result = subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--debug", str(REPO_ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "FROM " in result.stdout, result.stdout[-3000:]
    return result.stdout.splitlines()


def _index(lines: list[str], pattern: str) -> int:
    found = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    assert found, f"no Dockerfile line matches {pattern!r}"
    return found[0]


def _requirements() -> list[str]:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def test_binder_asks_for_python_3_11(dockerfile):
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    lock_files = [_decode(line) for line in dockerfile if "environment" in line]
    assert any("environment.py-3.11-" in line for line in lock_files), lock_files


def test_pinned_requirements_are_installed_before_the_repository_is_copied(dockerfile):
    copy_requirements = _index(dockerfile, r"^COPY .*src/binder/requirements\.txt ")
    install = _index(dockerfile, r'^RUN .*pip install .*-r "?binder/requirements\.txt')
    copy_repository = _index(dockerfile, r"^COPY (--chown=\S+ )?src/ \$\{REPO_DIR\}/?$")
    assert copy_requirements < install < copy_repository
    assert not any(re.search(r'-r "?requirements\.txt', line) for line in dockerfile), (
        "the root requirements.txt (test tools, -e .) must not be what Binder installs"
    )


def test_postbuild_installs_the_package_after_the_copy(dockerfile):
    copy_repository = _index(dockerfile, r"^COPY (--chown=\S+ )?src/ \$\{REPO_DIR\}/?$")
    postbuild = _index(dockerfile, r"^RUN \./binder/postBuild$")
    assert copy_repository < postbuild
    script = (BINDER / "postBuild").read_text()
    assert script.startswith("#!"), "postBuild needs a shebang line"
    assert re.search(r"^set -e", script, re.M), "postBuild must stop at the first error"
    assert re.search(r"^pip install (\S+ )*--no-deps (\S+ )*\.$", script, re.M), script


def test_requirements_are_pinned_and_have_no_local_paths():
    requirements = _requirements()
    assert requirements, "binder/requirements.txt is empty"
    for line in requirements:
        assert PINNED.match(line), f"not a pinned name==version line: {line!r}"
        assert not re.search(r"(^-|file:|/|\\|@)", line), f"a local path or option: {line!r}"


def test_requirements_cover_the_package_and_its_extras():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    needed = [Requirement(spec) for spec in project["dependencies"]]
    needed += [Requirement(spec) for specs in project.get("optional-dependencies", {}).values()
               for spec in specs]
    pinned = [Requirement(line) for line in _requirements() if PINNED.match(line)]
    pins = {canonicalize_name(r.name): r for r in pinned}
    for requirement in needed:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} (needed by the package) is not pinned for Binder"
        version = next(iter(pins[name].specifier)).version
        assert requirement.specifier.contains(version), (
            f"Binder pins {name}=={version}, outside what pyproject.toml asks: {requirement}"
        )
