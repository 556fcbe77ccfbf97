/**
 * The global fetch, noting each ingestLogs batch at the moment the client sends it: what the client
 * decided is known at once, without waiting for the request to reach anything.
 */
export function recordingFetch(): { fetch: typeof fetch; batches: string[][] } {
  const batches: string[][] = [];
  const recording: typeof fetch = (input, init) => {
    const body = JSON.parse(String(init?.body)) as { variables: { logs?: { eventId: string }[] } };
    batches.push((body.variables.logs ?? []).map((log) => log.eventId));
    return fetch(input, init);
  };
  return { fetch: recording, batches };
}
