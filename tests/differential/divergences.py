"""Known, documented differences between litellm and edgequake_litellm on the same wire traffic.

Each :class:`Divergence` names the cases it covers (providers by scenarios), the
paths of the normalized outcome that differ (``fnmatch`` patterns over the
paths :func:`.normalize.diff` yields, e.g. ``error.class`` or
``chunks[*].id``, where ``[*]`` is any list index), what each library does, and why. The
README's compatibility section lists every row. Each row must still diverge
somewhere (``test_every_divergence_still_diverges``), so a row litellm fixes
fails the suite until it is removed: ``xfail(strict=True)`` semantics.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Optional

from .scenarios import CHAT, STATUSES

ALL = frozenset({"openai", "anthropic", "gemini", "ollama_chat", "azure", "vertex_ai", "bedrock"})
STREAMS = frozenset(s.name for s in CHAT if s.stream)
ANSWERS = frozenset(s.name for s in CHAT if s.embedding_input is None)
TOOL_ANSWERS = frozenset(
    {
        "tools_auto",
        "tools_required",
        "tools_named",
        "tools_none",
        "tool_round_trip",
        "parallel_tools",
    }
)
TOOL_STREAMS = frozenset({"tools_required_stream", "parallel_tools_stream"})
STATUS_FAULTS = frozenset(f"fault_{s}" for s in STATUSES)
TRANSPORT_FAULTS = frozenset(
    {"fault_connection_refused", "fault_truncated_body", "fault_headers_then_close"}
)
README = "README: Where we differ from litellm on purpose"


@dataclass(frozen=True)
class Divergence:
    """One known difference; ``fields`` are fnmatch patterns over diff paths."""

    name: str
    providers: frozenset[str]
    scenarios: frozenset[str]
    fields: tuple[str, ...]
    litellm: str
    ours: str
    why: str
    follows: Optional[str] = None
    """The litellm issue (or README row) this entry follows."""

    def covers(self, scenario: str, provider: str) -> bool:
        """Whether the case (scenario, provider) is in this entry's scope."""
        return provider in self.providers and scenario in self.scenarios

    def explains(self, path: str) -> bool:
        """Whether a differing path is one this entry names."""
        return any(fnmatchcase(path, f.replace("[*]", "[[]*[]]")) for f in self.fields)


def _p(*names: str) -> frozenset[str]:
    """The providers named; Gemini's rows cover Gemini on Vertex AI (``vertex_ai``) too: the
    same translation on both sides, only the URL and the credentials differ."""
    return frozenset(names) | ({"vertex_ai"} if "gemini" in names else set())


DIVERGENCES: tuple[Divergence, ...] = (
    # -- litellm bugs ------------------------------------------------------------------
    Divergence(
        "ollama_http_errors",
        _p("ollama_chat"),
        STATUS_FAULTS | {"fault_timeout"},
        ("error.class", "error.status_code"),
        "every Ollama HTTP error and a timeout: APIConnectionError, status 500",
        "the class of the status (404 NotFoundError, 429 RateLimitError, ...), Timeout",
        "litellm's ollama_chat handler raises its OllamaError without a status mapping",
        "https://github.com/BerriAI/litellm/issues/1735",
    ),
    Divergence(
        "gemini_unmapped_statuses",
        _p("gemini"),
        _p(
            "fault_403",
            "fault_413",
            "fault_422",
            "fault_502",
            "fault_504",
            "fault_529",
            "fault_418",
        ),
        ("error.class", "error.status_code"),
        "403 BadRequestError; 413/422/502/504/529/418 APIConnectionError with status 500",
        "the class and status of the README's error table",
        "litellm's Gemini exception mapping only knows 400/401/404/408/429/500/503",
        "https://github.com/BerriAI/litellm/issues/14586",
    ),
    Divergence(
        "anthropic_unmapped_statuses",
        _p("anthropic"),
        _p("fault_403", "fault_413", "fault_422", "fault_418", "fault_529"),
        ("error.class", "error.status_code"),
        "403/422/418 APIConnectionError (500); 529 overloaded InternalServerError (500); "
        "413 BadRequestError with status_code 400",
        "PermissionDeniedError 403, UnprocessableEntityError 422, APIError 418, "
        "ServiceUnavailableError 529, BadRequestError 413",
        "litellm's Anthropic mapping falls through to APIConnectionError for statuses it "
        "does not list",
    ),
    Divergence(
        "gemini_stream_error_swallowed",
        _p("gemini"),
        _p("fault_stream_error_event"),
        ("error", "built", "chunks"),
        "an `{error}` record mid-stream is skipped: the stream ends normally",
        "the chunks before it, then ServiceUnavailableError (Google's UNAVAILABLE)",
        "a failed generation must not look like a complete answer",
    ),
    Divergence(
        "stream_error_event_class",
        _p("openai", "anthropic", "ollama_chat", "azure"),
        _p("fault_stream_error_event"),
        ("error.class", "error.status_code"),
        "OpenAI: APIConnectionError; Anthropic overloaded_error: InternalServerError 500; "
        "Ollama: APIConnectionError (a KeyError on the error line)",
        "the class for the error's code/type, as for an HTTP answer (500 if none; 529 "
        "ServiceUnavailableError for overloaded_error)",
        "the provider answered; the connection did not fail (README error table)",
    ),
    Divergence(
        "provider_name_in_errors",
        _p("gemini", "bedrock"),
        _p("fault_timeout", "fault_stream_cut"),
        ("error.llm_provider",),
        "`llm_provider` is 'litellm-httpx-handler' (timeout) or 'vertex_ai_beta' (Gemini's "
        "cut stream)",
        "'gemini' / 'bedrock'",
        "the provider called is gemini",
    ),
    Divergence(
        "n_gt_1_stream_drops_choices",
        _p("openai", "gemini", "azure"),
        _p("n_2_stream"),
        ("chunks", "built.choices", "built.usage.*"),
        "chunks of choices with index >= 1 are dropped; stream_chunk_builder builds one choice",
        "every choice's chunks, and one choice per index",
        "n=2 asked for two answers",
    ),
    Divergence(
        "ollama_history_drops_tool_calls",
        _p("ollama_chat"),
        _p("tool_round_trip"),
        ("request[*].body.messages[*].tool_calls", "request[*].body.messages[*].tool_name"),
        "the assistant turn of the history is sent without its tool_calls, the tool result "
        "without `tool_name`",
        "the assistant turn keeps its tool_calls (arguments as objects); the tool result "
        "names its tool (`tool_name`, docs.ollama.com/capabilities/tool-calling)",
        "Ollama relates a tool result to its call by the tool's name",
    ),
    Divergence(
        "gemini_tool_result_role",
        _p("gemini"),
        _p("tool_round_trip"),
        ("request[*].body.contents[*].role",),
        "the turn holding the functionResponse is sent without a `role`",
        '`role: "user"`, Google\'s documented shape of a function-calling history',
        "every Content of a multi-turn request names its role",
    ),
    Divergence(
        "gemini_embedding_index",
        _p("gemini"),
        _p("embedding_many"),
        ("embedding.data[*].index",),
        "every embedding of a batch has index 0",
        "index i for input i",
        "OpenAI's embedding objects are numbered by input position",
    ),
    # -- deliberate (README) -------------------------------------------------------------
    Divergence(
        "openai_status_classes",
        _p("openai"),
        _p("fault_403", "fault_422", "fault_529", "fault_400_content_policy"),
        ("error.class",),
        "403 and 529 APIError; 422 BadRequestError; content_policy_violation BadRequestError "
        "(its mapping reads the message text)",
        "PermissionDeniedError, ServiceUnavailableError, UnprocessableEntityError (a "
        "BadRequestError), ContentPolicyViolationError (by the error code)",
        "the precise class exists; `except APIError` / `except BadRequestError` still catch",
        README,
    ),
    Divergence(
        "no_answer_is_connection_error",
        _p("openai", "anthropic"),
        TRANSPORT_FAULTS,
        ("error.class",),
        "InternalServerError ('Connection error.')",
        "APIConnectionError naming the cause",
        "the provider never answered; no 500 happened",
        README,
    ),
    Divergence(
        "malformed_2xx_body",
        ALL,
        _p("fault_malformed_json"),
        ("error.class",),
        "InternalServerError (OpenAI) or APIConnectionError (others)",
        "APIError (500)",
        "the provider answered with a body that is not a response (README error table)",
        README,
    ),
    Divergence(
        "unsupported_n",
        _p("anthropic", "ollama_chat"),
        _p("n_2", "n_2_stream"),
        ("error.llm_provider",),
        "UnsupportedParamsError with llm_provider None",
        "UnsupportedParamsError naming `n`, with llm_provider set, before any I/O",
        "every exception here names its provider",
    ),
    Divergence(
        "image_url_download",
        _p("gemini", "ollama_chat", "bedrock"),
        _p("vision_https_url"),
        ("request", "request[*].body.contents[*].parts[*].*Data", "error", "response"),
        "downloads the image URL and sends it inline (base64)",
        "Gemini: `fileData` with the URL; Ollama and Bedrock: BadRequestError before any I/O",
        "no hidden network fetches from the call",
        README,
    ),
    Divergence(
        "ollama_tool_finish_reason",
        _p("ollama_chat"),
        TOOL_ANSWERS | TOOL_STREAMS,
        ("*finish_reason",),
        "`stop` after tool calls",
        "`tool_calls`",
        "what OpenAI clients and stream_chunk_builder expect",
        README,
    ),
    Divergence(
        "ollama_model_prefix",
        _p("ollama_chat"),
        ANSWERS | _p("embedding_one", "embedding_many"),
        ("response.model", "embedding.model"),
        "`ollama_chat/<model>` (`ollama/<model>` for embeddings)",
        "the model id Ollama answered with",
        "same as every other provider here",
        README,
    ),
    Divergence(
        "anthropic_message_id",
        _p("anthropic"),
        ANSWERS | _p("fault_stream_error_event", "fault_stream_cut"),
        ("response.id", "built.id", "chunks[*].id"),
        "a made-up `chatcmpl-<uuid>`",
        "Anthropic's message id (`msg_...`)",
        "the provider's id lets a call be found in the provider's logs",
    ),
    Divergence(
        "stream_usage_estimate",
        ALL,
        STREAMS,
        ("built.usage.prompt_tokens", "built.usage.completion_tokens", "built.usage.total_tokens"),
        "counts the rebuilt completion with litellm 1.81.16's tokenizer choice (a token apart "
        "on some outputs)",
        "token_counter as litellm 1.110 counts (tests/model_data compares it exactly)",
        "the model data and token accounting follow litellm 1.110; this pin is older",
        README,
    ),
    Divergence(
        "completion_tokens_details",
        ALL,
        ANSWERS,
        ("*usage.completion_tokens_details*",),
        "adds `text_tokens` and a zero or estimated `reasoning_tokens` the provider did not send",
        "only the details the provider reported (Gemini `thoughtsTokenCount`)",
        "no tokenizer here; completion_tokens is exact",
        README,
    ),
    Divergence(
        "gemini_cache_read_field",
        _p("gemini"),
        _p("prompt_cache", "prompt_cache_stream"),
        ("*usage.cache_read_input_tokens",),
        "also reports Anthropic's `cache_read_input_tokens`",
        "`prompt_tokens_details.cached_tokens` only (both report that)",
        "OpenAI's field carries it; Anthropic's name is for Anthropic responses",
    ),
    Divergence(
        "arguments_spacing",
        _p("anthropic", "gemini", "ollama_chat", "bedrock"),
        TOOL_ANSWERS | TOOL_STREAMS | _p("json_schema"),
        (
            "*tool_calls[*].function.arguments",
            "response.choices[*].message.content",
            "built.choices[*].message.content",
            "chunks",
        ),
        "tool arguments these providers send as objects are serialized with Python's "
        'json.dumps: `{"city": "Paris"}`',
        'compact JSON: `{"city":"Paris"}` (the same value)',
        "serialized once, in Rust",
    ),
    Divergence(
        "provider_specific_fields_copies",
        _p("openai", "anthropic", "gemini", "azure"),
        _p("reasoning", "reasoning_stream") | TOOL_ANSWERS | TOOL_STREAMS,
        (
            "*message.provider_specific_fields",
            "chunks",
            "chunks[*].choices[*].delta.provider_specific_fields",
        ),
        "copies `reasoning_content`, `thinking_blocks` and Gemini `thought_signatures` into "
        "the message's `provider_specific_fields` as well",
        "each once, in its own field (`tool_calls[i].provider_specific_fields` for signatures)",
        "one place for each value",
    ),
    Divergence(
        "gemini_thinking_blocks",
        _p("gemini"),
        _p("reasoning"),
        ("response.choices[*].message.thinking_blocks",),
        "thought parts also become `thinking_blocks` (without signatures)",
        "`reasoning_content` only",
        "Gemini thoughts carry no block signature to send back",
    ),
    Divergence(
        "finish_reason_chunk",
        _p("gemini", "ollama_chat", "openai", "anthropic", "azure"),
        STREAMS,
        ("chunks",),
        "a chunk with content and finish_reason is split in two",
        "one chunk",
        "nothing is lost either way",
        README,
    ),
    Divergence(
        "gemini_json_schema",
        _p("gemini"),
        _p("json_schema"),
        ("request[*].body.generationConfig.response*Schema",),
        "`responseJsonSchema` (full JSON Schema, Gemini 2.5+)",
        "`responseSchema` (Gemini's OpenAPI subset; `$ref` inlined, `propertyOrdering`)",
        "works on every Gemini model",
    ),
    Divergence(
        "gemini_single_embedding",
        _p("gemini"),
        _p("embedding_one", "embedding_many"),
        ("request[*].path", "request[*].body.*", "embedding.usage.*"),
        "`:batchEmbedContents` even for one string; usage counted locally with a tokenizer",
        "`:embedContent` for one string; usage as Google reports it (none: 0)",
        "the endpoint for the shape of the input; no tokenizer",
        README,
    ),
    Divergence(
        "ollama_embedding_request",
        _p("ollama_chat"),
        _p("embedding_one", "embedding_many"),
        ("request[*].headers", "request[*].body.input"),
        "no Authorization header (the api_key is dropped); a single string sent as a list",
        "`Authorization: Bearer <api_key>` as for chat; the input as given",
        "a key given is a key sent (Ollama behind an authenticating proxy)",
    ),
    # -- Azure OpenAI --------------------------------------------------------------------
    Divergence(
        "azure_status_classes",
        _p("azure"),
        _p("fault_403", "fault_404", "fault_422", "fault_500"),
        ("error.class",),
        "403, 404 and 500 APIError; 422 BadRequestError (litellm 1.81.16; 1.110 maps 404 "
        "to NotFoundError)",
        "PermissionDeniedError, NotFoundError, InternalServerError, UnprocessableEntityError "
        "(a BadRequestError), as for every provider here",
        "the precise class exists; `except APIError` / `except BadRequestError` still catch",
        README,
    ),
    Divergence(
        "azure_stream_filter_results",
        _p("azure"),
        STREAMS - _p("reasoning_stream", "parallel_tools_stream"),
        ("chunks[*].choices[*].content_filter_results", "chunks[*].choices[*].delta.role"),
        "drops the finish chunk's `content_filter_results`; with include_usage the first "
        "chunk's `delta.role` is null (the opening prompt-filter chunk took the first place)",
        "every chunk keeps its choice's `content_filter_results`; the first chunk yielded "
        "has role `assistant`",
        "the annotations Azure sent are kept where they came",
    ),
    Divergence(
        "azure_stream_usage_chunk",
        _p("azure"),
        _p("include_usage_stream", "reasoning_stream", "prompt_cache_stream"),
        (
            "chunks[*].usage.*",
            "chunks[*].id",
            "chunks[*].model",
            "chunks[*].system_fingerprint",
            "built.system_fingerprint",
            "chunks",
        ),
        "the usage chunk carries usage counted with its tokenizer, not Azure's, and no "
        "id/model/system_fingerprint; one is made up when Azure sent none",
        "Azure's usage chunk as sent, with the stream's id and model; none when Azure sent none",
        "the provider's token counts are the billed ones",
        README,
    ),
    Divergence(
        "azure_embedding_encoding",
        _p("azure"),
        _p("embedding_one", "embedding_many"),
        ("request[*].body.encoding_format", "embedding.data[*].embedding[*]"),
        "asks for `encoding_format: base64` (the openai SDK's default) and decodes float32s",
        "asks for floats (OpenAI's default), so the vectors are the floats Azure computed",
        "no precision lost to a float32 round trip; the caller's encoding_format is sent as given",
        README,
    ),
    Divergence(
        "bedrock_unmapped_statuses",
        _p("bedrock"),
        _p(
            "fault_403",
            "fault_413",
            "fault_422",
            "fault_500",
            "fault_502",
            "fault_504",
            "fault_529",
            "fault_418",
            "fault_malformed_json",
        ),
        ("error.class", "error.status_code"),
        "403/413/502/529/418 APIConnectionError (500), 504 Timeout, 422 and a malformed 200 "
        "body BadRequestError, a 500 ServiceUnavailableError reporting 503",
        "the class of the AWS error type (AccessDeniedException PermissionDeniedError, ...) "
        "else of the status, with the status the server sent; a malformed body APIError 500",
        "litellm 1.81.16's Bedrock mapping reads message text and falls through to "
        "APIConnectionError; the type AWS sends says what happened",
    ),
    Divergence(
        "bedrock_unsupported_params_provider",
        _p("bedrock"),
        _p("n_2", "n_2_stream", "tools_none"),
        ("error.llm_provider",),
        "the error raised before any I/O has llm_provider None",
        "llm_provider 'bedrock'",
        "every exception here names its provider",
    ),
    Divergence(
        "bedrock_json_schema_tool",
        _p("bedrock"),
        _p("json_schema"),
        (
            "request[*].body.toolConfig.tools[*].toolSpec.description",
            "request[*].body.toolConfig.tools[*].toolSpec.inputSchema.json.additionalProperties",
            "response.choices[*].finish_reason",
        ),
        "the `json_tool_call` tool has description 'json_tool_call' and the schema without "
        "`additionalProperties`; the answer's finish_reason is `tool_calls`",
        "the tool as the Anthropic adapter builds it (the caller's schema unchanged, no "
        "description); finish_reason `stop`, the JSON being the answer",
        "the same response_format translation as Anthropic's; no tool call is returned",
    ),
    Divergence(
        "bedrock_stream_cut_chunks",
        _p("bedrock"),
        _p("fault_stream_cut"),
        ("chunks",),
        "no chunk reaches the caller before the error",
        "every chunk that arrived, then the error",
        "a broken stream delivers what it received (README)",
        README,
    ),
)
