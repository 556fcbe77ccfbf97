import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A round-robin TCP proxy on 127.0.0.1, as a plain layer-4 load balancer: each client connection goes
 * to the next backend that is up, and stays there (so a websocket upgrade, being an HTTP request on
 * that connection, lands on the same replica as its handshake, and no replica is favoured). A backend
 * that refuses is skipped; when none answers, the client connection is closed.
 */
export class RoundRobinProxy {
  private readonly server: Server;
  private readonly backends = new Map<string, number>();
  private next = 0;
  private readonly open = new Set<Socket>();
  connections = 0;

  constructor() {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  setBackend(name: string, port: number | null): void {
    if (port === null) this.backends.delete(name);
    else this.backends.set(name, port);
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.connections++;
    this.open.add(client);
    client.pause();
    client.on('error', () => undefined);
    client.once('close', () => this.open.delete(client));
    const ports = [...this.backends.values()];
    const start = this.next++;
    const attempt = (tried: number) => {
      if (tried >= ports.length || client.destroyed) {
        client.destroy();
        return;
      }
      const upstream = connect({ host: '127.0.0.1', port: ports[(start + tried) % ports.length]! });
      let connected = false;
      upstream.once('error', () => {
        if (!connected) attempt(tried + 1);
        else client.destroy();
      });
      upstream.once('connect', () => {
        connected = true;
        this.open.add(upstream);
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        upstream.once('close', () => {
          this.open.delete(upstream);
          client.destroy();
        });
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  }
}
