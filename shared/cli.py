"""The `antrian` command: run the hub, check the config, add users and devices."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

# Only the standard library and yaml at module level: under eventlet, monkey-patching must
# happen before Flask, redis or threading-based code is imported.

DEFAULT_CONFIG = "config.yaml"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script and of `python -m shared`."""
    args = _parser().parse_args(argv)
    return args.handler(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="antrian", description="Antrian: hub antrian kantor.")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--config", default=DEFAULT_CONFIG, help="path to config.yaml")
        p.set_defaults(handler=handler)
        return p

    run = command("run", _run, "start the hub")
    run.add_argument("--host", help="address to listen on (default: server.host)")
    run.add_argument("--port", type=int, help="port (default: server.port)")
    run.add_argument(
        "--access-log", action="store_true", help="print one line per request (off by default)"
    )

    check = command("check-config", _check_config, "validate config.yaml and exit")
    check.add_argument("path", nargs="?", help="config file (overrides --config)")

    user = sub.add_parser("user", help="manage users").add_subparsers(required=True)
    add_user = user.add_parser("add", help="add a user, or reset their password and role")
    add_user.add_argument("name")
    add_user.add_argument("--role", required=True, choices=["officer", "supervisor", "admin"])
    add_user.add_argument("--config", default=DEFAULT_CONFIG)
    add_user.set_defaults(handler=_user_add)
    _account_command(user, "list", _user_list, "list users with their role and state")
    _account_command(user, "disable", _user_disable, "stop a user signing in; ends their sessions")
    _account_command(user, "enable", _user_enable, "let a disabled user sign in again")

    command("print-test", _print_test, "print a sample ticket on the configured printer")

    reports = sub.add_parser("reports", help="report summaries").add_subparsers(required=True)
    rebuild = reports.add_parser(
        "rebuild", help="drop and recompute the per-day report summaries from the events"
    )
    rebuild.add_argument("--from", dest="start", type=_date, help="first day, YYYY-MM-DD")
    rebuild.add_argument("--to", dest="end", type=_date, help="last day, YYYY-MM-DD")
    rebuild.add_argument("--config", default=DEFAULT_CONFIG)
    rebuild.set_defaults(handler=_reports_rebuild)

    device = sub.add_parser("device", help="pair kiosks and displays").add_subparsers(required=True)
    add_device = device.add_parser("add", help="pair a device, or give it a new token")
    add_device.add_argument("name")
    add_device.add_argument("--kind", required=True, choices=["kiosk", "display", "survey"])
    add_device.add_argument(
        "--code",
        action="store_true",
        help="print a 6-digit code to type on the device instead (valid 10 minutes, once)",
    )
    add_device.add_argument("--config", default=DEFAULT_CONFIG)
    add_device.set_defaults(handler=_device_add)
    _account_command(device, "list", _device_list, "list paired devices")
    _account_command(device, "remove", _device_remove, "unpair a device; its token stops at once")
    return parser


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text[:40]!r}") from None


def _reports_rebuild(args: argparse.Namespace) -> int:
    """Every summary made again from the events; the events are never touched."""
    if args.start and args.end and args.end < args.start:
        return _fail("--to is before --from")

    def action() -> int:
        from shared.reports.reader import ReportReader
        from shared.store import open_store

        settings = _settings(args.config)
        store = open_store(settings.store_url, key_prefix=settings.store.key_prefix)
        try:
            days = ReportReader(store, settings.catalogue()).rebuild(args.start, args.end)
        finally:
            store.close()
        if days:
            print(f"{len(days)} office days summarised again ({days[0]} to {days[-1]}).")
        else:
            print("No office days with events in that range: nothing to rebuild.")
        return 0

    return _with_errors(action)


def _account_command(group, name: str, handler, help_text: str) -> None:
    p = group.add_parser(name, help=help_text)
    if name != "list":
        p.add_argument("name")
    p.add_argument("--config", default=DEFAULT_CONFIG)
    p.set_defaults(handler=handler)


def _fail(message: str, code: int = 2) -> int:
    print(f"antrian: {message}", file=sys.stderr)
    return code


def _settings(path: str):
    from shared.config import load_settings

    return load_settings(path)


def _check_config(args: argparse.Namespace) -> int:
    from shared.config import check_config

    ok, report = check_config(args.path or args.config)
    print(report, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 2


def _accounts(config: str):
    from shared.accounts import Accounts
    from shared.store import open_store

    settings = _settings(config)
    store = open_store(settings.store_url, key_prefix=settings.store.key_prefix)
    return settings, store, Accounts(store)


def _with_errors(action):
    """Run an admin action, turning known failures into one clear line and exit code 2."""
    from shared.accounts import AccountError
    from shared.config import ConfigError
    from shared.store.base import StoreUnavailable

    try:
        return action()
    except ConfigError as exc:
        return _fail(f"invalid configuration:\n{exc}")
    except (AccountError, StoreUnavailable) as exc:
        return _fail(str(exc))


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Repeat password: "):
            raise _account_error("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def _account_error(message: str) -> Exception:
    from shared.accounts import AccountError

    return AccountError(message)


def with_accounts(config: str, act):
    """Run `act(accounts)` on the configured store, closing it afterwards."""
    _, store, accounts = _accounts(config)
    try:
        return act(accounts)
    finally:
        store.close()


def _user_add(args: argparse.Namespace) -> int:
    def action() -> int:
        with_accounts(args.config, lambda a: a.add_user(args.name, args.role, _read_password()))
        print(f"user {args.name} saved with role {args.role}; their earlier sessions are ended")
        return 0

    return _with_errors(action)


def _user_list(args: argparse.Namespace) -> int:
    def action() -> int:
        users = with_accounts(args.config, lambda a: a.users())
        for user in users:
            state = "active" if user.enabled else "disabled"
            print(f"{user.name:<40} {user.role.value:<10} {state:<8} {user.saved_at or '-'}")
        if not users:
            print("no users yet: antrian user add NAME --role officer")
        return 0

    return _with_errors(action)


def _user_disable(args: argparse.Namespace) -> int:
    return _set_user_enabled(args, enabled=False)


def _user_enable(args: argparse.Namespace) -> int:
    return _set_user_enabled(args, enabled=True)


def _set_user_enabled(args: argparse.Namespace, enabled: bool) -> int:
    def action() -> int:
        changed = with_accounts(args.config, lambda a: a.set_user_enabled(args.name, enabled))
        state = "enabled" if enabled else "disabled"
        if not changed:
            print(f"user {args.name} was already {state}")
        elif enabled:
            print(f"user {args.name} enabled: they can sign in again")
        else:
            print(f"user {args.name} disabled: their sessions and API tokens no longer work")
        return 0

    return _with_errors(action)


def _device_add(args: argparse.Namespace) -> int:
    if args.code:
        return _device_code(args)

    def action() -> int:
        token = with_accounts(args.config, lambda a: a.add_device(args.name, args.kind))
        print(f"device {args.name} paired as {args.kind} (an earlier token of it no longer works)")
        print(f"open this link on it: {_base_url(args.config)}/pair#token={token}")
        print("or open /pair on it and enter the token (shown only now):")
        print(token)
        return 0

    return _with_errors(action)


def _device_code(args: argparse.Namespace) -> int:
    """A short code for a touch screen, which has no keyboard for a token."""
    from shared.pairing_codes import CODE_VALID, PairingCodes, utc_now

    def action() -> int:
        _, store, accounts = _accounts(args.config)
        try:
            now = utc_now()
            code = PairingCodes(store, accounts).issue(args.name, args.kind, "antrian CLI", now)
        finally:
            store.close()
        minutes = int(CODE_VALID.total_seconds() // 60)
        until = (now + CODE_VALID).strftime("%H:%M UTC")
        print(f"pairing code for {args.kind} {args.name}: valid {minutes} minutes (until {until}),")
        print(f"for one device: on it open {_base_url(args.config)}/pair and type the code")
        print(f"(or open {_base_url(args.config)}/pair#code={code} there once); the code:")
        print(code)
        return 0

    return _with_errors(action)


def _device_list(args: argparse.Namespace) -> int:
    def action() -> int:
        devices = with_accounts(args.config, lambda a: a.devices())
        for device in devices:
            print(f"{device.name:<40} {device.kind.value:<8} paired {device.paired_at or '-'}")
        if not devices:
            print("no devices paired: antrian device add NAME --kind kiosk|display|survey")
        return 0

    return _with_errors(action)


def _device_remove(args: argparse.Namespace) -> int:
    def action() -> int:
        with_accounts(args.config, lambda a: a.remove_device(args.name))
        print(f"device {args.name} removed: its token and paired browsers no longer work")
        print(f"(a running hub drops its open connection within {_poll_bound()} seconds)")
        return 0

    return _with_errors(action)


def _poll_bound() -> int:
    from shared.connections import REVOCATION_POLL_SECONDS

    return int(REVOCATION_POLL_SECONDS)


def _base_url(config: str) -> str:
    server = _settings(config).server
    return (server.public_url or f"http://{server.host}:{server.port}").rstrip("/")


def _print_test(args: argparse.Namespace) -> int:
    def action() -> int:
        from datetime import UTC, datetime

        from kiosk.printer import PrinterFault, print_slip
        from kiosk.slips import slip_for

        settings = _settings(args.config)
        if settings.printer.type == "none":
            return _fail("printer.type is none in the config: there is no printer to test")
        service = settings.services[0]
        sample = {
            "service": service.code,
            "number": f"{service.prefix}-000",
            "priority_label": None,
            "issued_at": datetime.now(UTC).isoformat(),
            "ahead": 0,
            "estimated_wait_minutes": 0,
        }
        base = settings.server.public_url or f"http://{settings.server.host}:{settings.server.port}"
        try:
            print_slip(settings.printer, slip_for(settings, sample, f"{base}/t/test"))
        except PrinterFault as fault:
            return _fail(f"printer test failed: {fault.detail}")
        print(f"test ticket {sample['number']} sent to the {settings.printer.type} printer")
        return 0

    return _with_errors(action)


def _peek_async_mode(config: str) -> str:
    """Read server.async_mode before anything else is imported (eventlet must patch first)."""
    import yaml

    try:
        data = yaml.safe_load(Path(config).read_text(encoding="utf-8"))
        return str(data["server"]["async_mode"])
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return "threading"  # the full validation below reports any problem precisely


def _run(args: argparse.Namespace) -> int:
    if _peek_async_mode(args.config) == "eventlet":
        import eventlet

        eventlet.monkey_patch()
    return _with_errors(lambda: _serve(args))


def _serve(args: argparse.Namespace) -> int:
    from shared.hub_lock import HubAlreadyRunning
    from shared.serve import CannotServe, serve

    try:
        return serve(args)
    except (CannotServe, HubAlreadyRunning) as exc:
        return _fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
