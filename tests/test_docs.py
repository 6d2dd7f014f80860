"""Every CLI command and option is documented in the README (a new one fails here until it is)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def test_readme_starts_with_the_two_commands():
    head = README[:1500]
    assert "make run" in head and "make test" in head


def test_every_command_has_a_readme_section():
    for name in _commands():
        assert f"### `cunyi {name}`" in README, f"README lacks a section for `cunyi {name}`"


def test_every_option_is_mentioned_in_its_section():
    for name, sub in _commands().items():
        start = README.index(f"### `cunyi {name}`")
        end = README.find("\n### ", start + 1)
        section = README[start:end if end != -1 else None]
        for action in sub._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in section, f"`cunyi {name}` option {opt} is not in its README section"


def test_every_command_has_help():
    for name, sub in _commands().items():
        assert sub.description, name
        assert "usage" in sub.format_help(), name


def test_every_county_command_and_option_is_in_the_readme():
    from app.cli.county import build_parser as county_parser

    parser = county_parser()
    commands = next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.items():
        heading = f"### `cunyi-county {name}`"
        assert heading in README, f"README lacks a section for `cunyi-county {name}`"
        start = README.index(heading)
        end = README.find("\n### ", start + 1)
        section = README[start:end if end != -1 else None]
        for action in sub._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in section, f"`cunyi-county {name}` option {opt} is not in its README section"
