/**
 * How errors are written to the log. pino's default serialiser copies every property of an error, and
 * database errors carry the data of the statement that failed: MikroORM inlines the values into the SQL
 * of its message (a webhook secret, a token-bearing URL), and pg adds `detail` ("Key (x)=(value) ...")
 * and `where`. Here a database error keeps only what explains it: a short label of the statement, the
 * SQLSTATE code, the table, column or constraint, and the server's message with quoted values cut.
 */
const DATABASE_FIELDS = ['severity', 'table', 'column', 'constraint', 'routine'] as const;
// Never copied from any error: they hold statements or their values.
const WITHHELD = new Set([
  'query',
  'sql',
  'parameters',
  'params',
  'values',
  'bindings',
  'detail',
  'where',
  'internalQuery',
  'hint',
  'sqlMessage',
  'errmsg',
]);
const MAX_MESSAGE = 500;
const MAX_DEPTH = 4;

export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error).slice(0, MAX_MESSAGE) };
  const fields = error as Error & Record<string, unknown>;
  const result: Record<string, unknown> = { type: error.name };
  if (isDatabaseError(fields)) {
    const { statement, message } = splitStatement(fields);
    result.message = cutValues(message);
    if (statement) result.statement = statementLabel(statement);
    result.code = fields.sqlState ?? fields.code;
    for (const key of DATABASE_FIELDS) if (typeof fields[key] === 'string') result[key] = fields[key];
    result.stack = frames(error.stack);
  } else {
    result.message = error.message.length > MAX_MESSAGE ? `${error.message.slice(0, MAX_MESSAGE)}…` : error.message;
    result.stack = error.stack;
    for (const [key, value] of Object.entries(fields)) {
      if (WITHHELD.has(key) || key === 'cause' || key in result) continue;
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) result[key] = value;
    }
  }
  if (fields.cause !== undefined && depth < MAX_DEPTH) result.cause = serializeError(fields.cause, depth + 1);
  return result;
}

function isDatabaseError(error: Record<string, unknown>): boolean {
  if (typeof error.sqlState === 'string') return true;
  return typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && ('severity' in error || 'routine' in error);
}

/**
 * MikroORM's message is "<statement with values> - <server message>" (and " - detail: <the row>");
 * pg's is the server message alone. The server message travels apart in sqlMessage/errmsg.
 */
function splitStatement(error: Error & Record<string, unknown>): { statement: string | null; message: string } {
  const serverMessage = typeof error.sqlMessage === 'string' ? error.sqlMessage : typeof error.errmsg === 'string' ? error.errmsg : null;
  const at = serverMessage ? error.message.indexOf(` - ${serverMessage}`) : -1;
  if (serverMessage && at >= 0) return { statement: error.message.slice(0, at), message: serverMessage };
  if (/^\s*(select|insert|update|delete|with|alter|create|drop)\b/i.test(error.message)) {
    return { statement: error.message, message: serverMessage ?? 'statement failed' };
  }
  return { statement: null, message: serverMessage ?? error.message };
}

/** "insert into "alert_rule" (...) values ('…')" -> "insert into "alert_rule"": the verb and the table, never values. */
export function statementLabel(statement: string): string {
  const match =
    /^\s*(select\b.*?\bfrom|insert\s+into|update|delete\s+from|with|alter\s+table|create\s+\w+|drop\s+\w+)\s+("[^"]+"|[\w.]+)/is.exec(
      statement,
    );
  return match ? `${match[1]!.replace(/\s+/g, ' ').slice(0, 20)} ${match[2]}` : statement.trim().split(/\s+/)[0]!.slice(0, 20);
}

/** Server messages quote the offending value in some cases ('invalid input syntax for type uuid: "…"'). */
function cutValues(message: string): string {
  return message
    .replace(/: ".*"$/s, ': "…"')
    .replace(/\bvalue "[^"]*"/g, 'value "…"')
    .slice(0, MAX_MESSAGE);
}

/** The stack without its first line, which repeats the message. */
function frames(stack: string | undefined): string | undefined {
  return stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}
