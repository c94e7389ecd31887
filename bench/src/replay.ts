import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Replay {
  url: string;
  close(): Promise<void>;
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A stand-in for a partner on its own machine far away: a request it has seen before is
 * answered with the partner's recorded answer after `delayMs`, costing this machine almost
 * nothing; a new one is forwarded to the partner and its answer recorded. With partners
 * replaced by these, what the gateway adds when it scatters a request shows on its own.
 */
export async function startReplay(target: string, delayMs: number): Promise<Replay> {
  const recorded = new Map<string, string>();
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      let answer = recorded.get(body);
      if (answer !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      } else {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && (key === 'content-type' || key.startsWith('x-')))
            headers[key] = value;
        }
        const response = await fetch(target, { method: 'POST', headers, body });
        answer = await response.text();
        if (response.ok) recorded.set(body, answer);
      }
      res.setHeader('content-type', 'application/json');
      res.end(answer);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
