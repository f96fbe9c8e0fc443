"""schemathesis hooks for scripts/api-conformance.

X12 837P bodies are text on the wire, and the schema can only say "a string": any string
is schema-valid, but only a real interchange is accepted. So positive X12 cases send the
shipped 837P fixture (checking that a valid interchange is answered 200 with X12Results);
negative ones keep what schemathesis generated (checking the 400 problem).

NDJSON batch bodies are text too: whatever schemathesis generates is sent as it is, and
every line of it must come back as a result or an error line (never a 5xx).
"""
import os

import schemathesis
from schemathesis.generation import GenerationMode

X12 = "application/edi-x12"
_FIXTURE = os.path.join(os.path.dirname(__file__), "..", "Tests", "ClaimScrubTests", "Fixtures", "x12", "multi-claim.837")
with open(_FIXTURE, encoding="utf-8") as f:
    INTERCHANGE = f.read()


@schemathesis.serializer(X12)
def x12_serializer(ctx, value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


@schemathesis.serializer("application/x-ndjson", "application/jsonl")
def ndjson_serializer(ctx, value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


@schemathesis.hook
def map_case(context, case):
    if case.media_type == X12 and case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
        if not (isinstance(case.body, str) and case.body.startswith("ISA")):
            case.body = INTERCHANGE
    return case
