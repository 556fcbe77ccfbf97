import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

import type { Detector } from '../config.js';
import { OtlpPayloadError, TooManySpansError } from './otlp.decode.js';
import type { MappedSpans } from './otlp.store.js';

/**
 * Bodies from this size on are decoded and prepared on a worker thread. A smaller one (Dify exports
 * each span in a request of its own, a few KB) costs less inline than handing it over and back.
 */
export const OTLP_WORKER_MIN_BYTES = 64 * 1024;

/** What a worker needs to prepare spans as the main thread would: the content policy and the limits. */
export interface OtlpWorkerData {
  redact: readonly Detector[];
  redactPatterns: readonly string[];
  storeContent: boolean;
  contentMaxBytes: number;
  maxSpans: number;
  copyMinSpans: number;
}

export interface OtlpWorkerTask {
  encoding: 'json' | 'protobuf';
  body: Uint8Array;
}

export type OtlpWorkerReply =
  | { mapped: MappedSpans }
  | { error: { kind: 'too-many'; message: string; limit: number } | { kind: 'payload' | 'internal'; message: string } };

interface Job {
  encoding: OtlpWorkerTask['encoding'];
  body: Buffer;
  resolve: (mapped: MappedSpans) => void;
  reject: (error: Error) => void;
}

// Run from the sources (tests, `pnpm dev`), the worker is TypeScript too: a small script loads it through tsx.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./otlp.worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

function newWorker(workerData: OtlpWorkerData): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData });
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  // The server's own tsconfig (decorator metadata for the GraphQL types), whatever the working directory.
  const options = { parentURL: import.meta.url, tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) };
  const script = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(WORKER_URL.href)}, ${JSON.stringify(options)}))`;
  return new Worker(script, { eval: true, workerData });
}

/**
 * The OTLP route's worker threads (OTLP_WORKERS): each takes one large request at a time, decodes it,
 * maps and prepares its spans (mapSpans), and hands back what the main thread writes. The main thread
 * keeps HTTP, pricing and every statement, so one process uses several cores for ingestion. Workers
 * start on first use; one that fails is replaced, and only the request it held fails.
 */
export class OtlpWorkers {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly waiting: Job[] = [];
  private started = 0;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly data: OtlpWorkerData,
    private readonly log: Logger,
  ) {}

  /** Worker threads running now: none until the first large request. */
  get threads(): number {
    return this.started;
  }

  /** Decodes, maps and prepares a request's spans on a worker. Rejects as the decoders would (OtlpPayloadError, TooManySpansError). */
  map(encoding: OtlpWorkerTask['encoding'], body: Buffer): Promise<MappedSpans> {
    if (this.closed) return Promise.reject(new Error('the OTLP workers are closed'));
    return new Promise<MappedSpans>((resolve, reject) => {
      this.waiting.push({ encoding, body, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the OTLP workers are closed'));
    const workers = [...this.idle, ...this.busy.keys()];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && (this.idle.length > 0 || this.started < this.size)) {
      const job = this.waiting.shift()!;
      let worker: Worker;
      try {
        worker = this.idle.pop() ?? this.start();
      } catch (error) {
        job.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      this.busy.set(worker, job);
      // A copy of the body of its own, made only now (a waiting request holds one body), handed over rather than cloned.
      const task: OtlpWorkerTask = { encoding: job.encoding, body: new Uint8Array(job.body) };
      worker.postMessage(task, [task.body.buffer as ArrayBuffer]);
    }
  }

  private start(): Worker {
    const worker = newWorker(this.data);
    this.started += 1;
    // An idle worker does not keep the process alive; a request waiting on one does.
    worker.unref();
    worker.on('message', (reply: OtlpWorkerReply) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      if (!this.closed) this.idle.push(worker);
      if (job) settle(job, reply);
      this.dispatch();
    });
    let gone = false;
    const fail = (error: Error) => {
      if (gone) return;
      gone = true;
      this.started -= 1;
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      job?.reject(error);
      if (this.closed) return;
      this.log.error({ err: error }, 'an OTLP worker thread failed; it is replaced');
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the OTLP worker thread exited with code ${code}`)));
    return worker;
  }
}

function settle(job: Job, reply: OtlpWorkerReply): void {
  if ('mapped' in reply) return job.resolve(reply.mapped);
  const { error } = reply;
  if (error.kind === 'too-many') job.reject(new TooManySpansError(error.limit));
  else if (error.kind === 'payload') job.reject(new OtlpPayloadError(error.message));
  else job.reject(new Error(`an OTLP worker thread failed: ${error.message}`));
}
