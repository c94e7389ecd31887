import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateViewerKeys, signViewer, VIEWER_HEADER } from '@tiers-lieux/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testViewers } from '@tiers-lieux/subgraph-shell/testing';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const KEYS = generateViewerKeys();

/**
 * The partner subgraph as a partner runs it (`src/main.ts`, configured by its environment):
 * the configured public key is the one its requests are verified with.
 */
describe('the partner subgraph started from its environment', () => {
  let child: ChildProcess;
  let url: string;
  let metricsUrl: string;

  beforeAll(async () => {
    child = spawn(TSX, ['--conditions=source', 'src/main.ts'], {
      cwd: PACKAGE,
      env: {
        PATH: process.env.PATH,
        PARTNER: 'cantine',
        PORT: '0',
        SEED: 'true',
        VIEWER_PUBLIC_KEY: KEYS.publicKey,
        APOLLO_TELEMETRY_DISABLED: '1',
        METRICS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const started = /at (http:\/\/\S+)/.exec(output);
        const metrics = /"metrics":"(http:[^"]+)"/.exec(output);
        if (started && metrics) {
          metricsUrl = metrics[1]!;
          resolve(started[1]!);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
  }, 60_000);
  afterAll(() => {
    child?.kill();
  });

  const EMAILS = '{ members(first: 10) { edges { node { email } } } }';
  const emails = async (headers: Record<string, string>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: EMAILS }),
    });
    const body = (await response.json()) as {
      data: { members: { edges: { node: { email: string | null } }[] } };
    };
    return body.data.members.edges.map((e) => e.node.email);
  };

  it("gives a manager signed with the gateway's key the members' emails, and nobody else", async () => {
    const manager = await signViewer(testViewers.manager('cantine'), KEYS.signingKey, {
      audience: 'partner:cantine',
      request: { query: EMAILS },
    });
    const forged = await signViewer(
      testViewers.manager('cantine'),
      generateViewerKeys().signingKey,
      { audience: 'partner:cantine', request: { query: EMAILS } },
    );
    const seen = await emails({ [VIEWER_HEADER]: manager });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((email) => typeof email === 'string' && email.includes('@'))).toBe(true);
    expect((await emails({ [VIEWER_HEADER]: forged })).every((email) => email === null)).toBe(true);
    expect((await emails({})).every((email) => email === null)).toBe(true);
  });

  it('serves its outbox metrics on the metrics port', async () => {
    const text = await (await fetch(metricsUrl)).text();
    expect(text).toMatch(/^subgraph_outbox_messages\{status="pending"\} \d+$/m);
    expect(text).toMatch(/^subgraph_outbox_messages\{status="dead"\} 0$/m);
    expect(text).toMatch(/^subgraph_outbox_oldest_pending_seconds \d/m);
    expect(text).toMatch(/^subgraph_outbox_sent_total 0$/m);
  });
});
