import { startServer } from './server.ts';
import { loadDataset, withClient } from './dashboard.ts';
const url = 'postgres://postgres@127.0.0.1:5432/lumen_exp1m';
await withClient('postgres://postgres@127.0.0.1:5432/postgres', (c) => c.query('drop database if exists lumen_exp1m with (force)').then(() => c.query('create database lumen_exp1m')));
const server = await startServer(url);
await server.stop();
const now = Date.now();
console.log(JSON.stringify(await loadDataset(url, 1_000_000, now - 31 * 86400000, now - 60000, 100, 'exp')));
