"""Examples under each `--help`: every command shows one or two lines people can copy."""

from __future__ import annotations

import argparse


def examples(*lines: str) -> dict:
    """add_parser() keyword arguments that print `lines` as an "examples:" epilog, line breaks kept."""
    return {"epilog": "examples:\n" + "\n".join(f"  {line}" for line in lines),
            "formatter_class": argparse.RawDescriptionHelpFormatter}
