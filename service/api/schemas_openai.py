"""Request and response bodies of the OpenAI-compatible routes (Chat Completions wire format).

Clients send many optional OpenAI parameters (temperature, max_tokens, user, ...); they are accepted and
ignored, since the answer comes from the articles, not from sampling settings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ragqa.service.api.schemas import Text


class TextPart(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str
    text: Text | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: Text | list[TextPart] | None = None

    def text(self) -> str:
        """The message's text; multi-part content keeps only its text parts."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(p.text for p in self.content if p.type == "text" and p.text)


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1, max_length=200, description="A model id from GET /v1/models, e.g. `ragqa`.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=500,
                                        description="The conversation; the last user message is the question.")
    stream: bool = False


class RagqaExtra(BaseModel):
    """The structured answer that the Markdown `content` cannot carry."""

    citations: list[dict[str, Any]]
    abstained: bool
    grounded: bool
    request_id: str
    standalone_question: str
    index_version: str = ""
    llm: str = ""


class ChatCompletionMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    index: int = 0
    message: ChatCompletionMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage = Field(default_factory=Usage)
    ragqa: RagqaExtra


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "ragqa"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class OpenAIErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIError(BaseModel):
    error: OpenAIErrorBody
