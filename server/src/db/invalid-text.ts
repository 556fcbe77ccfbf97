/**
 * Whether the database refused a statement for the text it carried: a character it cannot store
 * (22021, 22P05) or, when the ORM inlined a NUL into the statement, a statement it could not read
 * (08P01). Input checks refuse such text first; this keeps any path they miss a client error.
 */
export function isUnstorableTextError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; sqlState?: unknown; cause?: unknown };
    const code = typeof candidate.sqlState === 'string' ? candidate.sqlState : candidate.code;
    if (code === '22021' || code === '22P05' || code === '08P01') return true;
    current = candidate.cause;
  }
  return false;
}
