import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A test's own HTTP server on a loopback port, whose connections it tracks so that `close()`
 * ends at once even while a client holds one open (a partner that is down, now).
 */
export class LoopbackServer {
  url = '';
  /** Connections accepted so far. */
  connections = 0;
  protected readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(listener: RequestListener) {
    this.server = createServer(listener);
    this.server.on('connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  /** Stops accepting connections and drops the open ones. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
