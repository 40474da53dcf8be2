"""`ragqa mcp`: the search and ask tools for MCP clients (Model Context Protocol), on the official `mcp` SDK.

Two transports share one tool definition (build_mcp): stdio (`ragqa mcp`, run by the local user like `ragqa ask`,
so unrestricted unless --groups is given) and streamable HTTP mounted at /mcp in the API when RAGQA_MCP_HTTP is
on (service/api/mcp_http.py), where the caller's key or token decides the groups exactly as for /v1/ask.
"""

# No `from __future__ import annotations`: the SDK reads the tools' signatures at run time for their schemas.
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field

from ragqa.index.embedding import EmbeddingError
from ragqa.index.errors import IndexStoreError
from ragqa.service.composition import Components
from ragqa.service.llm.base import LLMError
from ragqa.service.models import Citation, Turn

MAX_HISTORY = 50  # as AskRequest.history in the API


class Passage(BaseModel):
    doc_id: str
    chunk_id: str
    title: str
    source: str
    url: str | None = None
    headings: list[str] = Field(default_factory=list)
    text: str
    score: float


class AskResult(BaseModel):
    answer: str
    abstained: bool  # true when the articles do not hold the answer
    grounded: bool  # false when a sentence of the answer is not supported by the passage it cites
    citations: list[Citation] = Field(default_factory=list)
    standalone_question: str  # the question as answered, after resolving references to the history


@dataclass(frozen=True)
class Caller:
    """What one tool call runs against: the service, and the groups whose articles the caller may read."""

    components: Components
    groups: frozenset[str] | None  # None: unrestricted (the local user, like `ragqa ask`)
    # Called with (answer, question, history) after each answer: the answer log (service/api/answer_log.py).
    on_answer: Callable | None = None


def build_mcp(caller_of: Callable[[Context], Caller]) -> MCPServer:
    """The MCP server with the `search` and `ask` tools; `caller_of` resolves the service and groups per call."""
    known = (IndexStoreError, EmbeddingError, LLMError, ValueError)
    server = MCPServer(
        name="ragqa", version="0.1.0",
        instructions="Answers questions from the organisation's articles with citations (`ask`), or lists the "
                     "passages that best match a query (`search`). Cite the returned sources.")

    @server.tool(description="The passages of the organisation's articles that best match `query`, best first.")
    def search(query: Annotated[str, Field(min_length=1, max_length=2000, description="what to look for")],
               ctx: Context,
               k: Annotated[int, Field(ge=1, le=50, description="number of passages")] = 5) -> list[Passage]:
        caller = caller_of(ctx)
        if k > caller.components.settings.max_top_k:
            raise ToolError(f"k must be between 1 and {caller.components.settings.max_top_k}")
        try:
            hits = caller.components.index.retriever().search(query, k=k, groups=caller.groups)
        except known as exc:
            raise ToolError(str(exc)) from None
        return [Passage(doc_id=h.doc_id, chunk_id=h.chunk_id, title=h.title, source=h.source, url=h.url,
                        headings=list(h.chunk.headings), text=h.chunk.text, score=h.score) for h in hits]

    @server.tool(description="Answers `question` from the organisation's articles, citing the passages used "
                             "([n] markers refer to citations[].ref); abstains when the articles do not say.")
    def ask(question: Annotated[str, Field(min_length=1, max_length=2000, description="the question")],
            ctx: Context,
            history: Annotated[list[Turn], Field(max_length=MAX_HISTORY,
                                                 description="earlier turns of the conversation, oldest first")]
            = [],  # noqa: B006 (the SDK builds the input schema from the signature; never mutated)
            ) -> AskResult:
        caller = caller_of(ctx)
        try:
            answer = caller.components.answers.answer(question, history=history, groups=caller.groups)
        except known as exc:
            raise ToolError(str(exc)) from None
        if caller.on_answer is not None:
            caller.on_answer(answer, question, history)
        return AskResult(answer=answer.answer, abstained=answer.abstained, grounded=answer.grounded,
                         citations=answer.citations, standalone_question=answer.standalone_question)

    return server
