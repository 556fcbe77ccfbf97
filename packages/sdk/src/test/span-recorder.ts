/** One span as the client exported it, with its attributes (and its resource's) read back to plain values. */
export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number; message?: string };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpValue[] };
}
type OtlpAttributes = { key: string; value: OtlpValue }[];

/**
 * The global fetch, keeping a copy of every OTLP export request (`/v1/traces`) on its way to Lumen:
 * what the client sent is read here, what Lumen made of it through the API.
 */
export function spanRecordingFetch(): { fetch: typeof fetch; spans: ExportedSpan[]; requests: number } {
  const recorded = { spans: [] as ExportedSpan[], requests: 0 };
  const recording: typeof fetch = (input, init) => {
    if (String(input).endsWith('/v1/traces')) {
      recorded.requests++;
      recorded.spans.push(...readExport(String(init?.body)));
    }
    return fetch(input, init);
  };
  return Object.assign(recorded, { fetch: recording });
}

function readExport(body: string): ExportedSpan[] {
  const request = JSON.parse(body) as {
    resourceSpans: {
      resource: { attributes: OtlpAttributes };
      scopeSpans: { spans: (Omit<ExportedSpan, 'attributes' | 'resource'> & { attributes: OtlpAttributes })[] }[];
    }[];
  };
  return request.resourceSpans.flatMap((resourceSpans) =>
    resourceSpans.scopeSpans.flatMap((scopeSpans) =>
      scopeSpans.spans.map((span) => ({
        ...span,
        attributes: plain(span.attributes),
        resource: plain(resourceSpans.resource.attributes),
      })),
    ),
  );
}

function plain(attributes: OtlpAttributes): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));
}

function valueOf(value: OtlpValue): unknown {
  if (value.arrayValue) return value.arrayValue.values.map(valueOf);
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.doubleValue ?? value.boolValue;
}
