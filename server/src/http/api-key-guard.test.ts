import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { useTestLumen } from '../test/lumen.js';

/** `{"query":"aaa…"}` with one token of `size` bytes, gzipped to a few KiB. */
function hugeTokenBody(size: number): Buffer {
  return gzipSync(Buffer.concat([Buffer.from('{"query":"'), Buffer.alloc(size, 'a'), Buffer.from('"}')]));
}

describe('requests are cheap to refuse', () => {
  const [database] = testDatabases();
  const sut = useTestLumen(database!, { env: 'production' });

  const postGraphql = (body: Buffer | string, headers: Record<string, string>) =>
    fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers an anonymous huge-token gzip body with a small 401 before inflating it', async () => {
    const response = await postGraphql(hugeTokenBody(8 * 1024 * 1024), { 'content-encoding': 'gzip' });
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(text.length).toBeLessThan(300);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: expect.stringContaining('API key'), extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('answers an unknown key with 401 before validation, with no schema hints', async () => {
    const query = '{ metricsBreakdown(range: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }, by: MODLE) { key } }';
    for (const headers of [{}, { authorization: 'Bearer lmn_unknown' }] as Record<string, string>[]) {
      const response = await postGraphql(JSON.stringify({ query }), headers);
      const text = await response.text();
      expect(response.status).toBe(401);
      expect(text).not.toMatch(/Did you mean|MODEL|enum/);
    }
  });

  it('refuses a document over GRAPHQL_MAX_DOCUMENT_BYTES with 413 before parsing it', async () => {
    const response = await postGraphql(hugeTokenBody(8 * 1024 * 1024), {
      'content-encoding': 'gzip',
      authorization: `Bearer ${sut.adminKey}`,
    });
    const text = await response.text();
    expect(response.status).toBe(413);
    expect(text.length).toBeLessThan(400);
    expect(JSON.parse(text).errors[0]).toMatchObject({
      message: expect.stringContaining('GRAPHQL_MAX_DOCUMENT_BYTES'),
      extensions: { code: 'PAYLOAD_TOO_LARGE' },
    });
  });

  it('quotes at most a short excerpt of a bad token in a syntax error', async () => {
    const response = await postGraphql(JSON.stringify({ query: `{ viewer { id } } ${'b'.repeat(50_000)}` }), {
      authorization: `Bearer ${sut.adminKey}`,
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(response.status).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(body.errors[0]!.message.length).toBeLessThan(200);
  });

  it('answers an anonymous OTLP request with 401 before reading its body', async () => {
    // Inflates past MAX_BODY_BYTES: a server that read it first would answer 413.
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, ' '));
    const response = await fetch(`${sut.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 16, message: expect.stringContaining('API key') });
  });
});
