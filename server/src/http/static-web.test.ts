import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { acceptedEncodings, serveWeb } from './static-web.js';

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A request that keeps the body as sent (fetch would undo the content encoding). */
function get(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('serving the built web app compressed', () => {
  const script = `export const rows = [${Array.from({ length: 400 }, (_, index) => `{ id: ${index}, label: "row ${index}" }`).join(', ')}];\n`;
  let webDist: string;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    webDist = mkdtempSync(path.join(os.tmpdir(), 'lumen-web-'));
    mkdirSync(path.join(webDist, 'assets'));
    writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(path.join(webDist, 'assets', 'index-abc.js'), script);
    writeFileSync(path.join(webDist, 'assets', 'index-abc.js.gz'), gzipSync(script));
    writeFileSync(path.join(webDist, 'assets', 'index-abc.js.br'), brotliCompressSync(script));
    writeFileSync(path.join(webDist, 'assets', 'small.js'), 'console.log(1)');
    const app = express();
    serveWeb(app, webDist, { sourceMaps: false });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(webDist, { recursive: true, force: true });
  });

  it('sends brotli to a browser that accepts it, as JavaScript that decompresses to the built file', async () => {
    const response = await get(`${base}/assets/index-abc.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.body.length).toBeLessThan(Buffer.byteLength(script));
    expect(brotliDecompressSync(response.body).toString()).toBe(script);
  });

  it('sends gzip when brotli is not accepted', async () => {
    const response = await get(`${base}/assets/index-abc.js`, { 'accept-encoding': 'gzip' });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(gunzipSync(response.body).toString()).toBe(script);
  });

  it('sends the file as built when no coding is accepted, or brotli is refused with q=0', async () => {
    const plain = await get(`${base}/assets/index-abc.js`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.body.toString()).toBe(script);
    const refused = await get(`${base}/assets/index-abc.js`, { 'accept-encoding': 'br;q=0, gzip' });
    expect(refused.headers['content-encoding']).toBe('gzip');
  });

  it('sends a file without compressed copies as it is', async () => {
    const response = await get(`${base}/assets/small.js`, { 'accept-encoding': 'br, gzip' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.toString()).toBe('console.log(1)');
  });

  it('reads the codings of an Accept-Encoding header', () => {
    expect([...acceptedEncodings('gzip, deflate, br;q=0.5')]).toEqual(['gzip', 'deflate', 'br']);
    expect([...acceptedEncodings('br;q=0, gzip;q=1.0')]).toEqual(['gzip']);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });
});
