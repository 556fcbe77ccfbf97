#!/usr/bin/env bash
# Sends one model call to Lumen through the ingestLogs mutation, with curl.
#
#   LUMEN_API_KEY=lmn_… ./ingest-logs.sh            # an INGEST key
#   LUMEN_ENDPOINT=http://localhost:4000             # the default
#   EVENT_ID=… ./ingest-logs.sh                      # send the same eventId again: stored once
set -euo pipefail

: "${LUMEN_API_KEY:?set LUMEN_API_KEY to an API key with the INGEST role}"
endpoint="${LUMEN_ENDPOINT:-http://localhost:4000}"
event_id="${EVENT_ID:-$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen | tr 'A-Z' 'a-z')}"
timestamp="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# $logs is a GraphQL variable: the single quotes keep the shell from expanding it.
query='mutation Ingest($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted duplicates rejected { index field message } eventIds } }'

curl -sS --fail-with-body "$endpoint/graphql" \
  -H "Authorization: Bearer $LUMEN_API_KEY" \
  -H 'Content-Type: application/json' \
  --data-binary @- <<JSON
{
  "query": "$query",
  "variables": {
    "logs": [
      {
        "eventId": "$event_id",
        "timestamp": "$timestamp",
        "appId": "support-chat",
        "userId": "user-42",
        "sessionId": "s-981",
        "provider": "openai",
        "model": "gpt-4o",
        "operation": "chat",
        "prompt": "Where is my order?",
        "response": "It left the warehouse this morning.",
        "inputTokens": 812,
        "outputTokens": 64,
        "cachedInputTokens": 512,
        "latencyMs": 1430,
        "timeToFirstTokenMs": 380,
        "status": "SUCCESS",
        "metadata": { "region": "eu-west-1" },
        "tags": ["curl-example"]
      }
    ]
  }
}
JSON
echo
