import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Options } from '@mikro-orm/postgresql';
import pino from 'pino';
import type { TestProject } from 'vitest/node';

import { entities } from '../app/entities.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migratedOrm, ormOptions } from '../db/orm.js';
import { withAdmin } from './databases.js';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL that answered at start-up, or null: then only the PGlite half of the integration tests runs. */
    postgresUrl: string | null;
    /** A Redis that answered at start-up, or null: then the tests of shared (multi-replica) state do not run. */
    redisUrl: string | null;
    /** An embedded database with every migration applied, saved once (EmbeddedPostgres.save): each test's starts from it. */
    embeddedTemplate: string;
    /** A database on `postgresUrl`'s server with every migration applied: each test's is created from it. Null without PostgreSQL. */
    postgresTemplate: string | null;
  }
}

/**
 * Finds out once whether real PostgreSQL answers, and says so when it does not; migrates one database of
 * each kind, from which every test file's fresh database is made (an empty embedded database takes
 * seconds to create, and migrating one more). Returns the teardown, which removes both.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('redisUrl', await reachableRedis(process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379'));

  const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-test-template-'));
  const embeddedTemplate = path.join(dir, 'embedded.tar');
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  let postgresTemplate: string | null;
  try {
    await saveEmbeddedTemplate(embeddedTemplate);
    postgresTemplate = await createPostgresTemplate(url);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  project.provide('embeddedTemplate', embeddedTemplate);
  project.provide('postgresUrl', postgresTemplate ? url : null);
  project.provide('postgresTemplate', postgresTemplate);
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (postgresTemplate) await withAdmin(url, (client) => client.query(`drop database if exists ${postgresTemplate} with (force)`));
  };
}

/** Migrates an in-memory embedded database and saves it to `file` (EmbeddedPostgres.save). */
async function saveEmbeddedTemplate(file: string): Promise<void> {
  const embedded = await startEmbeddedPostgres(null);
  try {
    await migrate(embedded.connection);
    await embedded.save(file);
  } finally {
    await embedded.stop();
  }
}

/**
 * Creates and migrates the template database on `url`'s server and returns its name; null, saying so,
 * when PostgreSQL does not answer. A template that fails to migrate is dropped, and the error thrown.
 */
async function createPostgresTemplate(url: string): Promise<string | null> {
  const name = `lumen_test_template_${randomBytes(6).toString('hex')}`;
  try {
    await withAdmin(url, (client) => client.query(`create database ${name}`));
  } catch (error) {
    console.warn(
      `\n  PostgreSQL at ${redact(url)} did not answer (${(error as Error).message}).\n` +
        '  The PostgreSQL half of the integration tests was NOT run; only the embedded PGlite half ran.\n' +
        '  Set TEST_DATABASE_URL to a PostgreSQL you can create databases on to run both.\n',
    );
    return null;
  }
  try {
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${name}`;
    await migrate({ clientUrl: templateUrl.toString() });
    return name;
  } catch (error) {
    await withAdmin(url, (client) => client.query(`drop database if exists ${name} with (force)`));
    throw error;
  }
}

/** Applies every migration, as the server does when it opens a database. */
async function migrate(connection: Pick<Options, 'clientUrl' | 'host' | 'port' | 'user' | 'dbName'>): Promise<void> {
  await (await migratedOrm(ormOptions(connection, 1, entities), pino({ level: 'silent' }))).close(true);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

/** Sends PING over a plain socket; the URL when Redis answers PONG, else null (and says so). */
async function reachableRedis(url: string): Promise<string | null> {
  const { hostname, port } = new URL(url);
  const answered = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379), timeout: 2_000 });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('timeout', () => {
      resolve(false);
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
  });
  if (!answered) {
    console.warn(
      `\n  Redis at ${url} did not answer: the tests of state shared through Redis were NOT run.\n  Set TEST_REDIS_URL to run them.\n`,
    );
  }
  return answered ? url : null;
}
