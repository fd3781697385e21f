#!/usr/bin/env python3
"""Entry point: `python build.py --help`. All the work is in the aftaler package."""

from pathlib import Path

from aftaler.cli import main

if __name__ == "__main__":
    main(default_root=Path(__file__).resolve().parent)
