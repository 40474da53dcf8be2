"""`ragqa mcp`, registered into the ragqa CLI through the ragqa.commands entry point. Imports stay light.

Trust model: stdio serves the local user who started it (the MCP client runs this command as them), like
`ragqa ask`: unrestricted unless --groups is given. Over HTTP (/mcp in the API) a key or token is required.
"""

from __future__ import annotations

import argparse
import contextlib
import sys

# --- the `ragqa mcp` command (registered through the ragqa.commands entry point) -------------------------------


def register(sub) -> None:
    p = sub.add_parser("mcp", help="serve the search and ask tools to an MCP client over stdio",
                       description="Serves the `search` and `ask` tools over the Model Context Protocol on "
                                   "stdin/stdout, for an MCP client that starts this command. It runs as you, "
                                   "like `ragqa ask`: unrestricted unless --groups is given.")
    p.add_argument("--index", help="index directory (default $RAGQA_INDEX_DIR, else ./.ragqa/index)")
    p.add_argument("--llm", help="answer backend (default $RAGQA_LLM, else extractive)")
    p.add_argument("--groups", help="read only public articles and those shared with these comma-separated "
                                    "groups (default: unrestricted)")
    p.set_defaults(func=cmd_mcp)


def cmd_mcp(args: argparse.Namespace) -> int:
    from ragqa.service.cli import UsageError, _groups, settings_from
    from ragqa.service.composition import build_components

    try:
        from ragqa.service.mcp_server import Caller, build_mcp
    except ModuleNotFoundError as exc:
        if exc.name != "mcp" and not (exc.name or "").startswith("mcp."):
            raise
        raise UsageError("the MCP SDK is not installed: `pip install 'mcp>=2.3,<3'` (or reinstall ragqa)") from None

    # stdout carries the protocol: anything a library prints while loading goes to stderr instead.
    with contextlib.redirect_stdout(sys.stderr):
        settings = settings_from(args, llm=args.llm)
        components = build_components(settings)
        components.index.retriever()  # no index: a one-line error now, not a failing tool call later
    caller = Caller(components, _groups(args.groups), on_answer=_answer_log(settings, _groups(args.groups)))
    build_mcp(lambda _ctx: caller).run("stdio")
    return 0


def _answer_log(settings, groups):
    """Log each tool answer like `ragqa ask` does (off the tool's path: a background writer)."""
    from ragqa.service.api.answer_log import AnswerLog, entry_for
    from ragqa.service.api.log_commands import local_caller

    answer_log = AnswerLog.for_settings(settings)
    if answer_log is None:
        return None
    caller = local_caller("mcp")
    return lambda answer, question, history: answer_log.record(
        entry_for(answer, caller=caller, groups=groups, question=question, history=history))
