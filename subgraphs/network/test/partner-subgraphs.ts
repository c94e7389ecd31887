import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS } from '@tiers-lieux/subgraph-shell';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createDb } from '@tiers-lieux/space-subgraph/db';
import { createServer as createSpaceServer } from '@tiers-lieux/space-subgraph/server';
import { inject } from 'vitest';

export interface TestSubgraph {
  url: string;
  /** Requests received so far. */
  requests(): number;
  close(): Promise<void>;
}

/** A real partner subgraph on a loopback port, over PGlite loaded from the migrated template. */
export async function startSpacePartner(slug: string): Promise<TestSubgraph> {
  const template = await readFile(inject('spaceTemplate'));
  const pglite = await PGlite.create({
    loadDataDir: new Blob([template]),
    extensions: PGLITE_EXTENSIONS,
  });
  const handle = await createDb({}, { pglite });
  const { server, context } = createSpaceServer({ db: handle.db, partner: slug });
  let requests = 0;
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async (args) => {
      requests++;
      return context(args);
    },
  });
  return {
    url,
    requests: () => requests,
    close: async () => {
      await server.stop();
      await handle.close();
    },
  };
}

/** An HTTP server on a loopback port that answers every request with `answer`. */
export async function startFakeSubgraph(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestSubgraph> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => answer(req, res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests: () => requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A subgraph that answers `_service { sdl }` with this SDL, as Apollo Server would. */
export function serveSdl(sdl: string) {
  return startFakeSubgraph((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { _service: { sdl } } }));
  });
}

/** A server that accepts the request and never answers. */
export function startSilentSubgraph() {
  return startFakeSubgraph(() => {});
}
