import type { ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';

/** The JSON of one `next` payload, given the result and the context it was executed with (errors masked). */
export type FormatResult = (result: ExecutionResult, contextValue: unknown) => ExecutionResult;

/** A subscription as graphql-ws holds it: iterated until it ends, ended early with `return()`. */
export interface SubscriberStream extends AsyncIterable<ExecutionResult> {
  return(): Promise<IteratorResult<ExecutionResult>>;
}

interface Group {
  key: string;
  /** The first subscriber's own stream: executed once per event for the whole group. */
  source: AsyncIterable<ExecutionResult> & { return?: (value?: undefined) => unknown };
  contextValue: unknown;
  members: Set<Member>;
  /** The last payload's JSON, sent at once to a subscriber that joins. */
  last?: string;
}

/**
 * Subscriptions whose events are the same for every subscriber of a key (the key names the document, the
 * variables and the part of the principal the result depends on) are executed once per event for the
 * group, serialised once, and written to every socket of the group as one pre-built `next` message
 * (only the subscription id differs), in chunks that let the event loop breathe between them.
 * graphql-ws still owns each subscription (ids, limits, `complete`, errors): it iterates a stream that
 * yields nothing and ends when the subscriber leaves or the group's source ends.
 *
 * Each socket has at most one write in flight: a subscriber whose socket has not taken the previous
 * message yet gets only the newest one once it has (as a sliding buffer of one), never a backlog.
 */
export class SharedSubscriptions {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly format: FormatResult,
    private readonly maxBufferedBytes: number,
    private readonly log: Logger,
    private readonly chunk = 256,
  ) {}

  /** Groups sharing an execution now (one per distinct key with subscribers). */
  get groupCount(): number {
    return this.groups.size;
  }

  /**
   * Adds the subscription `id` on `socket` to the group of `key`. The subscriber's own `stream` becomes the
   * group's source when the group is new and is ended otherwise. Returns what graphql-ws iterates instead.
   */
  join(
    key: string,
    stream: AsyncIterable<ExecutionResult> & { return?: (value?: undefined) => unknown },
    contextValue: unknown,
    socket: WebSocket,
    id: string,
  ): SubscriberStream {
    let group = this.groups.get(key);
    if (group) void Promise.resolve(stream.return?.()).catch(() => undefined);
    else {
      group = { key, source: stream, contextValue, members: new Set() };
      this.groups.set(key, group);
      void this.run(group);
    }
    const member = new Member(socket, id, this.maxBufferedBytes, this.log);
    group.members.add(member);
    if (group.last !== undefined) member.deliver(group.last);
    const joined = group;
    return {
      [Symbol.asyncIterator]() {
        return { next: () => member.ended, return: this.return };
      },
      return: async () => {
        this.leave(joined, member);
        member.end();
        return { done: true, value: undefined };
      },
    };
  }

  private leave(group: Group, member: Member): void {
    group.members.delete(member);
    if (group.members.size > 0 || this.groups.get(group.key) !== group) return;
    this.groups.delete(group.key);
    void Promise.resolve(group.source.return?.()).catch(() => undefined);
  }

  private async run(group: Group): Promise<void> {
    try {
      for await (const result of group.source) {
        const payload = JSON.stringify(this.format(result, group.contextValue));
        group.last = payload;
        await this.broadcast(group, payload);
      }
      for (const member of group.members) member.end();
    } catch (error) {
      for (const member of group.members) member.fail(error);
    } finally {
      if (this.groups.get(group.key) === group) this.groups.delete(group.key);
    }
  }

  private async broadcast(group: Group, payload: string): Promise<void> {
    let written = 0;
    for (const member of [...group.members]) {
      member.deliver(payload);
      if (++written % this.chunk === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

class Member {
  private readonly prefix: string;
  private writing = false;
  private sent?: string;
  private due?: string;
  private settle!: (result: IteratorResult<ExecutionResult>) => void;
  private reject!: (error: unknown) => void;
  /** Settles when the subscriber leaves or its group ends (with the group's error, if it failed). */
  readonly ended = new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
    this.settle = resolve;
    this.reject = reject;
  });

  constructor(
    private readonly socket: WebSocket,
    id: string,
    private readonly maxBufferedBytes: number,
    private readonly log: Logger,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    // graphql-ws awaits `ended` while the subscription runs; this only keeps a late failure from counting as unhandled.
    this.ended.catch(() => undefined);
  }

  deliver(payload: string): void {
    if (payload === this.sent || this.socket.readyState !== this.socket.OPEN) return;
    if (this.writing) {
      this.due = payload;
      return;
    }
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.log.warn({ buffered: this.socket.bufferedAmount }, 'websocket subscriber too slow: disconnected');
      this.socket.terminate();
      return;
    }
    this.writing = true;
    this.sent = payload;
    this.socket.send(this.prefix + payload + '}', this.written);
  }

  private readonly written = (error?: Error) => {
    this.writing = false;
    const due = this.due;
    this.due = undefined;
    if (!error && due !== undefined) this.deliver(due);
  };

  end(): void {
    this.settle({ done: true, value: undefined });
  }

  fail(error: unknown): void {
    this.reject(error);
  }
}
