"""Send one GenAI chat span to Lumen's OTLP/HTTP endpoint (POST /v1/traces).

    pip install -r requirements.txt
    LUMEN_API_KEY=lmn_... python send_genai_span.py

The span is made by hand with the OpenTelemetry GenAI semantic conventions (gen_ai.* attributes),
as an instrumented client library would make it; Lumen stores it as one log.
"""

import json
import os

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

endpoint = os.environ.get("LUMEN_ENDPOINT", "http://localhost:4000").rstrip("/")
api_key = os.environ["LUMEN_API_KEY"]  # a key with the INGEST role

# service.name becomes the log's appId (unless the span sets lumen.app_id).
provider = TracerProvider(resource=Resource.create({"service.name": "support-chat"}))
provider.add_span_processor(
    BatchSpanProcessor(
        OTLPSpanExporter(
            endpoint=f"{endpoint}/v1/traces",
            headers={"Authorization": f"Bearer {api_key}"},
        )
    )
)
tracer = provider.get_tracer("lumen-example")

messages_in = [
    {"role": "system", "parts": [{"type": "text", "content": "You are a concise support agent."}]},
    {"role": "user", "parts": [{"type": "text", "content": "Where is my order?"}]},
]
messages_out = [
    {
        "role": "assistant",
        "parts": [{"type": "text", "content": "It left the warehouse this morning."}],
        "finish_reason": "stop",
    }
]

# Span name and kind as the conventions ask: "{gen_ai.operation.name} {gen_ai.request.model}", CLIENT.
with tracer.start_as_current_span("chat gpt-4o", kind=trace.SpanKind.CLIENT) as span:
    span.set_attribute("gen_ai.operation.name", "chat")
    span.set_attribute("gen_ai.provider.name", "openai")
    span.set_attribute("gen_ai.request.model", "gpt-4o")
    span.set_attribute("gen_ai.request.temperature", 0.2)
    # ... the model call happens here ...
    span.set_attribute("gen_ai.response.model", "gpt-4o-2024-08-06")
    span.set_attribute("gen_ai.response.id", "chatcmpl-123")
    span.set_attribute("gen_ai.response.finish_reasons", ["stop"])
    span.set_attribute("gen_ai.usage.input_tokens", 812)
    span.set_attribute("gen_ai.usage.output_tokens", 64)
    # Message content is opt-in in the conventions; attribute values are JSON strings here.
    span.set_attribute("gen_ai.input.messages", json.dumps(messages_in))
    span.set_attribute("gen_ai.output.messages", json.dumps(messages_out))
    span.set_attribute("gen_ai.conversation.id", "s-981")
    span.set_attribute("user.id", "user-42")

# Exports what is batched and waits for it before the script ends.
provider.shutdown()
print("sent one span; its trace id is", format(span.get_span_context().trace_id, "032x"))
