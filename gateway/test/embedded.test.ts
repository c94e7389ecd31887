import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbeddedConfig } from '../src/embedded-config.js';
import { FROM_SOURCES, freeBasePort, graphql, startProgram, type Program } from './processes.js';

const EVENTS = /* GraphQL */ `
  {
    events(first: 20) {
      edges {
        node {
          id
          seatsLeft
        }
      }
    }
  }
`;
const REGISTER = /* GraphQL */ `
  mutation ($eventId: ID!) {
    registerForEvent(
      input: { eventId: $eventId, guest: { name: "Zoé", email: "zoe@example.org" } }
    ) {
      registration {
        status
      }
      answerSentByMail
      error {
        code
      }
    }
  }
`;

interface Started {
  program: Program;
  graphqlUrl: string;
  /** The URLs it printed, by service name. */
  services: Record<string, string>;
}

async function startEmbedded(dataDir: string, env: Record<string, string>): Promise<Started> {
  const program = startProgram([...FROM_SOURCES, 'gateway/src/embedded.ts'], {
    DATA_DIR: dataDir,
    ...env,
  });
  const [, graphqlUrl] = await program.waitFor(/the network graph is at (http:\/\/\S+\/graphql)/);
  const services = Object.fromEntries(
    [...program.output().matchAll(/^ {2}(\w+) +(http:\/\/\S+)$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  return { program, graphqlUrl: graphqlUrl!, services };
}

const seatsOf = async (url: string) => {
  const answer = await graphql(url, EVENTS);
  expect(answer.errors).toBeUndefined();
  return new Map(
    (answer.data!.events.edges as { node: { id: string; seatsLeft: number | null } }[]).map((e) => [
      e.node.id,
      e.node.seatsLeft,
    ]),
  );
};

describe('the embedded network on any ports', () => {
  let folders: string[] = [];
  let a: Started;
  let b: Started;
  let base: number;

  beforeAll(async () => {
    folders = await Promise.all([1, 2].map(() => mkdtemp(join(tmpdir(), 'embedded-ports-'))));
    base = await freeBasePort();
    [a, b] = await Promise.all([
      startEmbedded(folders[0]!, { BASE_PORT: '0' }),
      startEmbedded(folders[1]!, { BASE_PORT: String(base) }),
    ]);
  }, 240_000);
  afterAll(async () => {
    await Promise.all([a?.program.stop(), b?.program.stop()]);
    await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
  });

  it('moves every service with the base port', () => {
    expect(Object.values(b.services).map((url) => Number(new URL(url).port))).toEqual([
      base + 100,
      base + 101,
      base + 102,
      base + 103,
      base + 104,
    ]);
    expect(Number(new URL(b.graphqlUrl).port)).toBe(base);
    const ports = (s: Started) => Object.values(s.services).map((url) => new URL(url).port);
    expect(ports(a).filter((port) => ports(b).includes(port))).toEqual([]);
  });

  it('answers, side by side, each with its own partners', async () => {
    const [seatsA, seatsB] = await Promise.all([seatsOf(a.graphqlUrl), seatsOf(b.graphqlUrl)]);
    expect([...seatsA.keys()]).toEqual([...seatsB.keys()]);
    const [eventId, seats] = [...seatsA].find(([, left]) => (left ?? 0) > 0)!;

    // An anonymous guest's seat is held until the mailed link confirms it; the answer says only
    // that a mail is on its way.
    const registered = await graphql(a.graphqlUrl, REGISTER, { eventId });
    expect(registered).toEqual({
      data: { registerForEvent: { registration: null, answerSentByMail: true, error: null } },
    });

    expect((await seatsOf(a.graphqlUrl)).get(eventId)).toBe(seats! - 1);
    expect((await seatsOf(b.graphqlUrl)).get(eventId)).toBe(seats);
  });

  it('restarted on other ports, routes to its partners where they now listen', async () => {
    const before = await seatsOf(b.graphqlUrl);
    await b.program.stop();
    b = await startEmbedded(folders[1]!, { BASE_PORT: '0' });
    expect(Number(new URL(b.graphqlUrl).port)).not.toBe(base);
    expect(await seatsOf(b.graphqlUrl)).toEqual(before);
  }, 240_000);
});

describe('loadEmbeddedConfig', () => {
  it('puts the network subgraph 100 above the base port and the partners after it', () => {
    const config = loadEmbeddedConfig({ BASE_PORT: '5000' }, '/srv');
    expect([
      config.gatewayPort,
      config.networkPort,
      config.partnerPort(0),
      config.partnerPort(3),
    ]).toEqual([5000, 5100, 5101, 5104]);
    expect(config.dataDir).toBe('/srv/.data');
  });

  it('keeps the defaults of the README, and PORT and NETWORK_PORT for one service each', () => {
    const defaults = loadEmbeddedConfig({}, '/srv');
    expect([defaults.gatewayPort, defaults.networkPort, defaults.partnerPort(0)]).toEqual([
      4000, 4100, 4101,
    ]);
    const moved = loadEmbeddedConfig({ PORT: '8080', NETWORK_PORT: '9100' }, '/srv');
    expect([moved.gatewayPort, moved.networkPort, moved.partnerPort(1)]).toEqual([
      8080, 9100, 9102,
    ]);
  });

  it('puts every service on a free port with BASE_PORT=0', () => {
    const config = loadEmbeddedConfig({ BASE_PORT: '0' }, '/srv');
    expect([config.gatewayPort, config.networkPort, config.partnerPort(2)]).toEqual([0, 0, 0]);
  });

  it('refuses a port out of range', () => {
    expect(() => loadEmbeddedConfig({ BASE_PORT: '70000' }, '/srv')).toThrow(/BASE_PORT/);
  });
});
