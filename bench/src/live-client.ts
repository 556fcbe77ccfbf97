/**
 * A child process holding `count` graphql-ws subscribers to liveMetrics (one socket each). It reports
 * when every subscriber has its first snapshot, then, when asked, the delay from each snapshot's `at`
 * (the tick) to its arrival, per tick.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const [url, key, countText] = process.argv.slice(2);
const count = Number(countText);
const QUERY = 'subscription { liveMetrics(windowSeconds: 60) { at summary { requestCount latencyP95 totalCost } } }';
const delays = new Map<string, number[]>();
const clients: Client[] = [];
let ready = 0;

for (let i = 0; i < count; i++) {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  clients.push(client);
  let first = true;
  client.subscribe<{ liveMetrics: { at: string } }>(
    { query: QUERY },
    {
      next: (value) => {
        const received = Date.now();
        const at = value.data?.liveMetrics.at;
        if (!at) return;
        if (first) {
          first = false;
          if (++ready === count) process.send!({ type: 'ready' });
          return;
        }
        const list = delays.get(at) ?? [];
        list.push(received - Date.parse(at));
        delays.set(at, list);
      },
      error: (error) => process.send!({ type: 'error', error: String(error) }),
      complete: () => undefined,
    },
  );
}

process.on('message', async (message: { type: string }) => {
  if (message.type !== 'report') return;
  process.send!({ type: 'report', ticks: Object.fromEntries(delays) }, () => {
    for (const client of clients) void client.dispose();
    setTimeout(() => process.exit(0), 200).unref();
  });
});
