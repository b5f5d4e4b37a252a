"""Docs that cannot rot: every CLI command, setting and record field is documented in the README."""
from pathlib import Path

import pytest

from newsgraph.cli import build_parser
from newsgraph.record import RECORD_FIELDS
from newsgraph.settings import describe

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_cli_command_is_in_the_readme(command):
    assert f"newsgraph {command}" in README


@pytest.mark.parametrize("name", [n for n, _, _ in describe()])
def test_every_setting_is_in_the_readme(name):
    assert f"`{name}`" in README and f"NEWSGRAPH_{name.upper()}" in README


@pytest.mark.parametrize("cls, field", [(c, f) for c, fs in RECORD_FIELDS.items() for f in fs])
def test_every_record_field_is_in_the_readme(cls, field):
    assert f"`{field}`" in README, f"{cls}.{field} is not documented"


def test_readme_opens_with_the_two_commands():
    blocks = README.split("```")
    first, second = blocks[1], blocks[3]
    assert "pip install" in first and "newsgraph analyze examples/" in first
    assert "scripts/test.sh" in second
    assert "scripts/test.sh" in (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
