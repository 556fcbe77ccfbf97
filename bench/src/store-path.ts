import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { ROOT } from './server.js';

/** Decoded OTLP spans as the server's decoder gives them; opaque here. */
export type DecodedSpans = { readonly spans: readonly unknown[] };

/**
 * The server's own span ingestion, loaded into the bench's process from the build (server/dist): its
 * JSON decoder, and the step after decoding (mapping each span, the model-call logs' validation and
 * pricing, and every write) on services of its own, opened on the bench's database as a second server
 * would be. No HTTP, no API key, no rate limit, no background job.
 */
export interface ServerSpanStore {
  decodeJson(body: Uint8Array): DecodedSpans;
  /** Stores one request's decoded spans; throws when any is refused. */
  store(decoded: DecodedSpans): Promise<void>;
  close(): Promise<void>;
}

const dist = (file: string) => import(pathToFileURL(path.join(ROOT, 'server/dist', file)).href);

export async function openServerSpanStore(databaseUrl: string): Promise<ServerSpanStore> {
  // lumen.js first: it loads what the entities' decorators need.
  await dist('app/lumen.js');
  const [
    { loadConfig },
    { createLogger },
    { openDatabase },
    { entities },
    { createServices, closeServices },
    { storeSpans },
    { decodeJson },
  ] = await Promise.all([
    dist('config.js'),
    dist('logger.js'),
    dist('db/orm.js'),
    dist('app/entities.js'),
    dist('app/services.js'),
    dist('otlp/otlp.store.js'),
    dist('otlp/otlp.decode.js'),
  ]);
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  const config = loadConfig({ ...inherited, NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
  const log = createLogger(config);
  const database = await openDatabase(config.database, entities, log);
  const services = createServices(config, database.orm, log);
  return {
    decodeJson: (body) => decodeJson(Buffer.from(body.buffer, body.byteOffset, body.byteLength), config.limits.otlpMaxSpans),
    async store(decoded) {
      const { bad } = (await storeSpans(services, decoded)) as { bad: { index: number; message: string }[] };
      if (bad.length > 0) throw new Error(`the server's store refused ${bad.length} spans: span ${bad[0]!.index}: ${bad[0]!.message}`);
    },
    async close() {
      await closeServices(services);
      await database.close();
    },
  };
}
