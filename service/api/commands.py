"""`ragqa serve` and `ragqa keys create|list|revoke`, registered into the ragqa CLI. Imports stay light."""

from __future__ import annotations

import argparse
import json

from ragqa.service.cli_help import examples


def _settings(args: argparse.Namespace, **extra):
    from ragqa.settings import load_settings

    return load_settings(index_dir=getattr(args, "index", None), data_dir=getattr(args, "data_dir", None), **extra)


def cmd_serve(args: argparse.Namespace) -> int:
    from ragqa.service.api.server import ServeRefused, check_can_serve, run_server
    from ragqa.service.cli import UsageError

    settings = _settings(args, host=args.host, port=args.port, llm=args.llm, require_auth=args.require_auth,
                         shutdown_grace_s=args.grace)
    try:
        check_can_serve(settings)  # before loading the model: refuse in a second, not after twenty
        return run_server(settings, log_level=args.log_level, log_format=args.log_format)
    except ServeRefused as exc:
        raise UsageError(str(exc)) from None


def cmd_keys_create(args: argparse.Namespace) -> int:
    from ragqa.service.api.keys import KeyStore, KeyStoreError, split_list
    from ragqa.service.cli import UsageError

    store = KeyStore.for_settings(_settings(args))
    try:
        record, key = store.create(name=args.name, scopes=split_list(args.scopes), groups=split_list(args.groups),
                                   origins=split_list(args.origins))
    except KeyStoreError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(record.as_dict() | {"key": key}, indent=2))
    else:
        print(key)
        print(f"key id {record.key_id} ({record.name}): scopes {', '.join(sorted(record.scopes))}; groups "
              f"{', '.join(sorted(record.groups)) or '(public articles only)'}"
              + (f"; origins {', '.join(record.origins)}" if record.origins else ""))
        print("This is the only time the key is shown: store it now.")
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    from ragqa.service.api.keys import KeyStore

    keys = KeyStore.for_settings(_settings(args)).list()
    if args.json:
        print(json.dumps([k.as_dict() for k in keys], indent=2))
        return 0
    if not keys:
        print("No keys. Create one with `ragqa keys create --name NAME --scopes ask`.")
    for k in keys:
        state = f"revoked {k.as_dict()['revoked_at']}" if k.revoked_at else "active"
        print(f"{k.key_id}  {k.name}  scopes={','.join(sorted(k.scopes))}  groups={','.join(sorted(k.groups)) or '-'}"
              f"  origins={','.join(k.origins) or '-'}  created {k.as_dict()['created_at']}  {state}")
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    from ragqa.service.api.keys import KeyStore, KeyStoreError
    from ragqa.service.cli import UsageError

    try:
        record = KeyStore.for_settings(_settings(args)).revoke(args.key_id)
    except KeyStoreError as exc:
        raise UsageError(str(exc)) from None
    print(f"revoked key {record.key_id} ({record.name}); requests with it now get 401")
    return 0


def register(subparsers) -> None:
    """Add `serve`, `keys`, `feedback` and `insights` to the ragqa command."""
    from ragqa.service.api import log_commands

    log_commands.register(subparsers)
    data_help = "where keys and feedback live (default $RAGQA_DATA_DIR, else ./.ragqa)"

    p = subparsers.add_parser("serve", help="run the HTTP API, the widget and the demo page",
                              **examples("ragqa serve", "ragqa serve --host 0.0.0.0 --port 8080 --log-format json"))
    p.add_argument("--index", help="index directory (default $RAGQA_INDEX_DIR, else ./.ragqa/index)")
    p.add_argument("--data-dir", help=data_help)
    p.add_argument("--host", help="address to bind (default $RAGQA_HOST, else 127.0.0.1); any non-loopback "
                                  "address requires keys or a trusted proxy")
    p.add_argument("--port", type=int, help="port (default $RAGQA_PORT, else 8000)")
    p.add_argument("--llm", help="answer backend (default $RAGQA_LLM, else extractive)")
    p.add_argument("--require-auth", action="store_const", const=True, default=None,
                   help="refuse anonymous callers even on loopback (default $RAGQA_REQUIRE_AUTH)")
    p.add_argument("--grace", type=float, default=None, metavar="SECONDS",
                   help="how long in-flight requests may finish after SIGTERM (default $RAGQA_SHUTDOWN_GRACE_S, 30)")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.add_argument("--log-format", default="auto", choices=["auto", "text", "json"],
                   help="text for people, JSON lines for log collectors (default auto: text on a terminal, "
                        "else JSON)")
    p.set_defaults(func=cmd_serve)

    keys = subparsers.add_parser("keys", help="create, list and revoke API keys",
                                 **examples("ragqa keys create --name hr-bot --groups hr", "ragqa keys list"))
    sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    p = sub.add_parser("create", help="create a key and print it (once)",
                       **examples("ragqa keys create --name hr-bot --groups hr",
                                  "ragqa keys create --name intranet --origins https://intranet.example --json"))
    p.add_argument("--name", required=True, help="who or what uses the key")
    p.add_argument("--scopes", default="ask", help="comma-separated: ask, admin (default ask)")
    p.add_argument("--groups", default="", help="comma-separated permission groups of the key's holder")
    p.add_argument("--origins", default="", help="widget keys: comma-separated origins allowed to use it "
                                                 "(https://intranet.example)")
    p.add_argument("--data-dir", help=data_help)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_keys_create)
    p = sub.add_parser("list", help="list keys (never their secrets)", **examples("ragqa keys list --json"))
    p.add_argument("--data-dir", help=data_help)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_keys_list)
    p = sub.add_parser("revoke", help="revoke a key by id", **examples("ragqa keys revoke 3f9c2a1b"))
    p.add_argument("key_id", metavar="KEY_ID")
    p.add_argument("--data-dir", help=data_help)
    p.set_defaults(func=cmd_keys_revoke)
