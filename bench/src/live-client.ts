/**
 * A child process holding `count` liveMetrics subscribers, one socket each. It reports when every
 * subscriber has its first snapshot, then, when asked, the delay from each snapshot's `at` (the tick) to
 * its arrival, per tick.
 *
 * It speaks graphql-transport-ws by hand on bare `ws` sockets (connection_init, subscribe, then reads
 * `next` messages) and reads `at` out of the message bytes without parsing the JSON: the full graphql-ws
 * client costs several times more CPU per message, and on a 2-core machine holding 10,000 of them the
 * clients measured themselves more than the server. The server's tests use the real graphql-ws client.
 */
import WebSocket from 'ws';

const [url, key, countText, query] = process.argv.slice(2);
const count = Number(countText);
const AT = Buffer.from('"at":"');
const ISO_LENGTH = '2026-01-01T00:00:00.000Z'.length;
/** Per tick (its `at`): the tick's time and each arrival's delay after it. */
const ticks = new Map<string, { tick: number; delays: number[] }>();
const sockets: WebSocket[] = [];
let ready = 0;
let failed = false;
let stopping = false;
/** Ticks before this (set when every process has all its subscribers) reached only some of them. */
let measuringFrom = Infinity;

const fail = (error: string) => {
  if (failed) return;
  failed = true;
  process.send!({ type: 'error', error });
};

/** Opens sockets a few at a time: thousands of simultaneous handshakes only measure the accept queue. */
async function open(index: number): Promise<void> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { perMessageDeflate: false });
  sockets.push(socket);
  let first = true;
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
      resolve();
    });
    socket.once('error', reject);
  });
  socket.on('close', (code, reason) => {
    if (!stopping) fail(`subscriber ${index} closed (${code} ${String(reason)})`);
  });
  socket.on('message', (data: Buffer) => {
    const received = Date.now();
    const start = data.indexOf(AT);
    if (start < 0) {
      const text = data.toString();
      if (text.includes('"connection_ack"')) socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      else if (!text.includes('"pong"') && !text.includes('"ping"')) fail(`subscriber ${index} received ${text.slice(0, 300)}`);
      return;
    }
    if (first) {
      first = false;
      if (++ready === count) process.send!({ type: 'ready' });
      return;
    }
    const at = data.toString('latin1', start + AT.length, start + AT.length + ISO_LENGTH);
    let tick = ticks.get(at);
    if (!tick) ticks.set(at, (tick = { tick: Date.parse(at), delays: [] }));
    if (tick.tick >= measuringFrom) tick.delays.push(received - tick.tick);
  });
}

const OPENING = 50;
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(OPENING, count) }, async () => {
    while (next < count) await open(next++).catch((error: unknown) => fail(String(error)));
  }),
);

process.on('message', (message: { type: string; from?: number }) => {
  if (message.type === 'measure') measuringFrom = message.from!;
  if (message.type !== 'report') return;
  process.send!(
    {
      type: 'report',
      ticks: Object.fromEntries([...ticks].filter(([, tick]) => tick.delays.length > 0).map(([at, tick]) => [at, tick.delays])),
    },
    () => {
      stopping = true;
      for (const socket of sockets) socket.terminate();
      setTimeout(() => process.exit(0), 200).unref();
    },
  );
});
