import { readdirSync, readFileSync } from 'node:fs';

// CPU time (user + system) read from /proc on Linux, in ms: of one process, or of every PostgreSQL
// process on this machine (backends, WAL writer, checkpointer, autovacuum). null where /proc cannot
// tell: another system, a process gone, or a database on another machine.

/** /proc counts in clock ticks; USER_HZ is 100 on every Linux kernel built for x86 and arm64. */
const TICK_MS = 10;

function ticksOf(pid: string): number | null {
  try {
    // The fields after the command name (which may hold spaces), from state on: utime is the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

export function processCpuMs(pid: number): number | null {
  const ticks = ticksOf(String(pid));
  return ticks === null ? null : ticks * TICK_MS;
}

/**
 * Sums every process named postgres*. A process that ends between two readings takes its time with it,
 * so a reading is taken while the connections it is meant to cover are still open.
 */
export function postgresCpuMs(databaseUrl: string): number | null {
  const host = new URL(databaseUrl).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', ''].includes(host)) return null;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  let ticks = 0;
  let found = false;
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let name: string;
    try {
      name = readFileSync(`/proc/${pid}/comm`, 'utf8');
    } catch {
      continue;
    }
    if (!name.startsWith('postgres')) continue;
    const own = ticksOf(pid);
    if (own === null) continue;
    ticks += own;
    found = true;
  }
  return found ? ticks * TICK_MS : null;
}

/** This process's CPU time in ms. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU of the three sides of a measurement: the server, every PostgreSQL process, the bench's own client. */
export interface SidesCpu {
  server: number | null;
  /** null when the database is not on this machine. */
  postgres: number | null;
  client: number;
}

/** The CPU each side has used so far, in ms. */
export function readSidesCpu(serverPid: number, databaseUrl: string): SidesCpu {
  return { server: processCpuMs(serverPid), postgres: postgresCpuMs(databaseUrl), client: ownCpuMs() };
}

/** What each side used between two readings, in microseconds per item. */
export function sidesPerItemUs(before: SidesCpu, after: SidesCpu, items: number): SidesCpu {
  return {
    server: perItemUs(before.server, after.server, items),
    postgres: perItemUs(before.postgres, after.postgres, items),
    client: perItemUs(before.client, after.client, items)!,
  };
}

/** CPU spent between two readings, in microseconds per item; null when either reading is. */
export function perItemUs(before: number | null, after: number | null, items: number): number | null {
  return before === null || after === null ? null : ((after - before) * 1000) / items;
}

/** A per-item figure for the report and the log: whole microseconds, or n/a where it could not be read. */
export function microseconds(value: number | null): string {
  return value === null ? 'n/a' : `${Math.round(value)} µs`;
}
