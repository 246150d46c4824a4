"""Add the bench's users and devices with the `antrian` CLI, in one interpreter.

Each `antrian user add` in a fresh interpreter costs about a second (imports, then the
password hash); 50 officers and 20 displays would take a minute before the bench starts.
This runs the same CLI entry point (`shared.cli.main`) once per account instead, and prints
the device tokens as JSON: {"<device name>": "<token>"}.

    python bench/provision.py --config X --password P --officers a,b --displays tv-1 --kiosks k-1
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys

from shared.cli import main as antrian


def run_cli(argv: list[str], stdin: str = "") -> str:
    """One `antrian ...` command; its stdout, or exit with its error."""
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = antrian(argv)
    finally:
        sys.stdin = saved_stdin
    if code != 0:
        raise SystemExit(f"antrian {' '.join(argv[:3])} failed ({code}): {err.getvalue()}")
    return out.getvalue()


def names(text: str) -> list[str]:
    return [name for name in text.split(",") if name]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--officers", type=names, default=[])
    parser.add_argument("--displays", type=names, default=[])
    parser.add_argument("--kiosks", type=names, default=[])
    args = parser.parse_args()
    for officer in args.officers:
        run_cli(
            ["user", "add", officer, "--role", "officer", "--config", args.config],
            stdin=args.password + "\n",
        )
    tokens = {}
    for kind, devices in (("display", args.displays), ("kiosk", args.kiosks)):
        for device in devices:
            output = run_cli(["device", "add", device, "--kind", kind, "--config", args.config])
            tokens[device] = output.strip().splitlines()[-1]  # the token is alone on the last line
    print(json.dumps(tokens))
    return 0


if __name__ == "__main__":
    sys.exit(main())
