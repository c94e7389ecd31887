import { readFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS } from '@tiers-lieux/subgraph-shell';
import { startStandaloneServer } from '@apollo/server/standalone';
import { generateViewerKeys, parseId, readSdl } from '@tiers-lieux/schema';
import { SEEDED_PEOPLE, type SeededPerson } from '@tiers-lieux/schema/seed-people';
import { composeOrThrow, networkSubgraphs } from '@tiers-lieux/schema/compose';
import { createDb, type Db } from '@tiers-lieux/space-subgraph/db';
import { createServer as createSpaceServer } from '@tiers-lieux/space-subgraph/server';
import { Seeder } from '@tiers-lieux/space-subgraph/testing';
import { createBookingSaga } from '@tiers-lieux/network-subgraph/booking-saga';
import { createDb as createNetworkDb } from '@tiers-lieux/network-subgraph/db';
import { noticeExpiringPasses } from '@tiers-lieux/network-subgraph/pass-mails';
import { seedNetwork } from '@tiers-lieux/network-subgraph/seed';
import { createServer as createNetworkServer } from '@tiers-lieux/network-subgraph/server';
import { SEEDED_PARTNERS, seedPartner } from '@tiers-lieux/space-subgraph/seed';
import {
  DEVELOPMENT_MAIL_SETTINGS,
  registrationChores,
  type MailSettings,
} from '@tiers-lieux/space-subgraph/mail';
import { inject } from 'vitest';
import { issueDevToken } from '../auth.js';
import { createGateway, type GatewayOptions } from '../server.js';
import type { PartnerEntry } from '../registry.js';
import { LoopbackServer } from './loopback.js';
import { seededPeople } from './people.js';
import {
  databaseTelemetry,
  mailDispatcher,
  type OutboxDispatcher,
  type Telemetry,
} from '@tiers-lieux/subgraph-shell';

/** The gateway's viewer keys in the tests: the gateway signs, the subgraphs verify. */
export const VIEWER_KEYS = generateViewerKeys();
/** The network's service credential of the booking saga (signed by the network, checked by partners). */
export const SERVICE_KEYS = generateViewerKeys();
export const AUTH_SECRET = 'gateway-test-auth-secret-0123456789abcdef';
export const AUDIENCE = 'tiers-lieux-network';

export interface RunningPartner {
  slug: string;
  url: string;
  db: Db;
  seed: Seeder;
  /** The outbox's dispatcher, running, when the partner was started with `mail`. */
  outbox: OutboxDispatcher | null;
  close(): Promise<void>;
}

/** Where the services of a test send their mails (a `startMailCatcher()`), and how fast. */
export interface TestMail {
  smtpUrl: string;
  /** The origin of the links in the mails; the development one when omitted. */
  publicUrl?: string;
  /** How often the dispatchers look at their outbox besides after each mutation (200 ms). */
  intervalMs?: number;
}

/** The `From` of the mails of the test networks. */
export const TEST_MAIL_FROM = 'Réseau des tiers-lieux <ne-pas-repondre@tiers-lieux.test>';

/** The network's mail settings in tests: a link secret of its own, not the partners'. */
export const TEST_NETWORK_MAIL = {
  networkName: DEVELOPMENT_MAIL_SETTINGS.networkName,
  domain: DEVELOPMENT_MAIL_SETTINGS.domain,
  publicUrl: DEVELOPMENT_MAIL_SETTINGS.publicUrl,
  linkSecret: 'the-network-test-link-secret-not-the-partners',
};

function partnerMailSettings(mail: TestMail): MailSettings {
  return {
    ...DEVELOPMENT_MAIL_SETTINGS,
    publicUrl: mail.publicUrl ?? DEVELOPMENT_MAIL_SETTINGS.publicUrl,
  };
}

/** An outbox dispatcher as `runService` starts one, retrying after 100 ms to 1 s. */
export function testDispatcher(
  db: Parameters<typeof mailDispatcher>[0],
  mail: TestMail,
  chores?: () => Promise<unknown>,
): OutboxDispatcher {
  return mailDispatcher(
    db,
    { smtpUrl: mail.smtpUrl, from: TEST_MAIL_FROM, intervalMs: mail.intervalMs ?? 200 },
    { chores, backoff: { baseMs: 100, maxMs: 1_000 } },
  );
}

/**
 * A real partner subgraph on a loopback port, over PGlite loaded from the migrated template,
 * served as `runService` serves it; silent unless given telemetry; on an earlier contract
 * version when `contractVersion` says so; sending its mails over SMTP when given `mail`.
 */
export async function startPartner(
  slug: string,
  options: {
    contractVersion?: string;
    telemetry?: Partial<Telemetry>;
    mail?: TestMail;
    /** The network's service public key, to take the booking saga's calls. */
    networkServicePublicKey?: string;
  } = {},
): Promise<RunningPartner> {
  const template = await readFile(inject('spaceTemplate'));
  const pglite = await PGlite.create({
    loadDataDir: new Blob([template]),
    extensions: PGLITE_EXTENSIONS,
  });
  const handle = await createDb({}, { pglite, ...databaseTelemetry(options.telemetry ?? {}) });
  const settings = options.mail ? partnerMailSettings(options.mail) : undefined;
  const outbox =
    options.mail && settings
      ? testDispatcher(handle.db, options.mail, registrationChores(handle.db, slug, settings))
      : null;
  const listener = await createSpaceServer({
    db: handle.db,
    partner: slug,
    viewerPublicKey: VIEWER_KEYS.publicKey,
    ...(options.contractVersion ? { contractVersion: options.contractVersion } : {}),
    ...options.telemetry,
    networkServicePublicKey: options.networkServicePublicKey,
    mail: settings,
    outbox,
  }).listen({ host: '127.0.0.1', port: 0 });
  outbox?.start();
  let closing: Promise<void> | null = null;
  return {
    slug,
    url: listener.url,
    db: handle.db,
    seed: new Seeder(handle.db, slug),
    outbox,
    // Tests stop a partner mid-run; the suite's cleanup then closes it again.
    close: () =>
      (closing ??= listener
        .stop()
        .then(() => outbox?.stop())
        .then(() => handle.close())),
  };
}

/** Sends a request already read (`body`) on to `target`, and its answer back as it comes. */
export function forward(
  target: string,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer | string,
): void {
  const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  upstream.end(body);
}

export type ProxyMode =
  | 'pass'
  | 'hang'
  | 'garbage'
  | 'http500'
  | 'not-graphql'
  | 'wrong-shape'
  | 'uncoded-error'
  | 'flood';

/**
 * A proxy in front of a partner that counts requests and connections and misbehaves on
 * demand, so tests see what the gateway does with a partner that hangs or sends garbage.
 */
export class FaultyProxy extends LoopbackServer {
  mode: ProxyMode = 'pass';
  requests = 0;

  constructor(private readonly target: string) {
    super((req, res) => {
      this.requests++;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        switch (this.mode) {
          case 'hang':
            return;
          case 'flood': {
            // An answer that never ends, one megabyte at a time, until the reader goes away.
            res.setHeader('content-type', 'application/json');
            res.write('{"data": {"spaces": {"edges": [');
            const chunk = Buffer.alloc(1024 * 1024, ' ');
            const more = () => {
              while (!res.destroyed && res.write(chunk));
              if (!res.destroyed) res.once('drain', more);
            };
            res.once('close', () => res.removeAllListeners('drain'));
            return more();
          }
          case 'garbage':
            res.setHeader('content-type', 'application/json');
            return void res.end('{"data": {"spaces": [1, 2, ');
          case 'http500':
            res.statusCode = 500;
            return void res.end('Internal Server Error');
          case 'not-graphql':
            res.setHeader('content-type', 'application/json');
            return void res.end(JSON.stringify({ hello: 'world' }));
          case 'uncoded-error':
            res.setHeader('content-type', 'application/json');
            return void res.end(
              JSON.stringify({
                data: null,
                errors: [{ message: 'relation "spaces" does not exist at db-7.internal' }],
              }),
            );
          case 'wrong-shape':
            res.setHeader('content-type', 'application/json');
            return void res.end(
              JSON.stringify({ data: { _entities: [], spaces: { edges: 'nope' } } }),
            );
          case 'pass': {
            forward(this.target, req, res, body);
          }
        }
      });
    });
  }
}

/** The supergraph of the partner contract alone (no network subgraph). */
export function partnersOnlySupergraph(): string {
  return composeOrThrow([{ name: 'space', url: 'http://127.0.0.1:1/', sdl: readSdl('space') }]);
}

/**
 * A gateway on a loopback port. Without a network subgraph to resolve sign-ins, the seeded
 * people and their roles come from a table (`seededPeople()`); pass `people: undefined` for the
 * gateway's own directory (the network subgraph's `signIn`), or a `TablePeople` of the test's.
 */
export async function startGateway(
  options: Partial<GatewayOptions> & { partners: PartnerEntry[] },
) {
  const gateway = await createGateway({
    people: seededPeople(),
    supergraphSdl: options.supergraphSdl ?? partnersOnlySupergraph(),
    partnerSubgraph: 'space',
    registry: null,
    viewerSigningKey: VIEWER_KEYS.signingKey,
    auth: { keys: { kind: 'secret', secret: AUTH_SECRET }, audience: AUDIENCE },
    // The partners of a test run in its own process on a shared machine; the tests of the time
    // budget set theirs.
    partnerTimeoutMs: 5_000,
    ...options,
  });
  const url = await gateway.start({
    host: '127.0.0.1',
    port: 0,
    pollMs: options.registryPollMs ?? 10_000,
  });
  return Object.assign(gateway, { graphqlUrl: `${url}/graphql` });
}

export interface Answer {
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

function seeded(what: string, test: (person: SeededPerson) => boolean): SeededPerson {
  const person = SEEDED_PEOPLE.find(test);
  if (!person) throw new Error(`No seeded person is ${what}`);
  return person;
}

/**
 * Development bearer tokens of the seeded people (`SEEDED_PEOPLE`): a token says who signed in,
 * the people directory what they may do.
 */
export const tokens = {
  /** A token for the person with this email (seeded or not); `extraClaims` are sent along. */
  person: (email: string, extraClaims?: Record<string, unknown>) =>
    issueDevToken({ email }, AUTH_SECRET, {
      audience: AUDIENCE,
      ...(extraClaims ? { extraClaims } : {}),
    }),
  /** The seeded coordinator of the network. */
  coordinator: () => tokens.person(seeded('a coordinator', (p) => p.coordinator === true).email),
  /** The seeded manager of a partner. */
  manager: (partner: string) =>
    tokens.person(seeded(`manager of ${partner}`, (p) => !!p.manages?.includes(partner)).email),
  /** The seeded front-desk staff of a partner. */
  staff: (partner: string) =>
    tokens.person(seeded(`staff of ${partner}`, (p) => !!p.staffs?.includes(partner)).email),
  /** The seeded person a member record (`<partner>:member:<uuid>`) belongs to. */
  member: (memberId: string) => {
    const id = parseId(memberId);
    const person = seeded(
      `the member ${memberId}`,
      (p) => id?.kind === 'member' && p.members?.[id.partner] === id.uuid,
    );
    return tokens.person(person.email);
  },
};

const SPACE_TABLES = [
  'spaces',
  'offers',
  'events',
  'members',
  'memberships',
  'registrations',
  'visits',
];
const NETWORK_TABLES = [
  'partners',
  'pass_products',
  'pass_product_spaces',
  'passes',
  'ledger_entries',
  'person_message_preferences',
];

async function dumpTables(db: { execute(query: string): PromiseLike<unknown> }, tables: string[]) {
  const dump: Record<string, unknown> = {};
  for (const table of tables) {
    const rows: unknown = await db.execute(`select * from ${table} order by 1`);
    // postgres.js answers an array of rows, PGlite an object holding them.
    dump[table] = JSON.parse(
      JSON.stringify(Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows),
    );
  }
  return dump;
}

/**
 * The seeded network of the README, on loopback ports: the network subgraph and the four
 * partners with the articles' data, and a gateway that knows them from configuration. The
 * network subgraph's registry names the partners' real URLs, so a gateway started with
 * `registry: 'network'` routes to them too. Each service reports through what `telemetry`
 * gives for its name (`gateway`, `network`, `partner:<slug>`); silent by default. With `mail`,
 * every subgraph runs its outbox dispatcher and sends its mails there.
 */
export async function startSeededNetwork(
  options: Partial<GatewayOptions> & { mail?: TestMail } = {},
  telemetry: (service: string) => Partial<Telemetry> = () => ({}),
) {
  const { mail, ...gatewayOptions } = options;
  const now = new Date();
  const partners: RunningPartner[] = [];
  for (const slug of SEEDED_PARTNERS) {
    const partner = await startPartner(slug, {
      telemetry: telemetry(`partner:${slug}`),
      networkServicePublicKey: SERVICE_KEYS.publicKey,
      ...(mail ? { mail } : {}),
    });
    await seedPartner(partner.db, slug, now);
    partners.push(partner);
  }
  const networkTelemetry = telemetry('network');
  const networkHandle = await createNetworkDb({}, databaseTelemetry(networkTelemetry));
  await networkHandle.migrate();
  await seedNetwork(
    networkHandle.db,
    now,
    Object.fromEntries(partners.map((p) => [p.slug, p.url])),
  );
  // The network's mails: its own link secret, not the partners'.
  const networkMail = mail
    ? {
        ...TEST_NETWORK_MAIL,
        publicUrl: mail.publicUrl ?? DEVELOPMENT_MAIL_SETTINGS.publicUrl,
      }
    : undefined;
  const networkOutbox =
    mail && networkMail
      ? testDispatcher(networkHandle.db, mail, () =>
          noticeExpiringPasses(networkHandle.db, { now: new Date(), mail: networkMail }),
        )
      : null;
  const server = await createNetworkServer({
    db: networkHandle.db,
    mail: networkMail,
    outbox: networkOutbox,
    viewerPublicKey: VIEWER_KEYS.publicKey,
    // Pass-paid bookings (`bookWithPass`) run their saga against the partners above.
    saga: createBookingSaga({ db: networkHandle.db, signingKey: SERVICE_KEYS.signingKey }),
    ...networkTelemetry,
  }).listen({ host: '127.0.0.1', port: 0 });
  networkOutbox?.start();
  const networkUrl = server.url;
  const gateway = await startGateway({
    supergraphSdl: composeOrThrow(networkSubgraphs()),
    // Sign-ins are resolved by the network subgraph, as in production.
    people: undefined,
    subgraphUrls: { network: networkUrl },
    partners: partners.map((p) => ({ slug: p.slug, url: p.url, status: 'ACTIVE' })),
    ...telemetry('gateway'),
    ...gatewayOptions,
  });
  return {
    gateway,
    networkUrl,
    partners,
    /** Every row of every database of the network, to prove a request changed nothing. */
    async dump() {
      const dumps: Record<string, unknown> = {
        network: await dumpTables(networkHandle.db, NETWORK_TABLES),
      };
      for (const p of partners) dumps[p.slug] = await dumpTables(p.db, SPACE_TABLES);
      return dumps;
    },
    async stop() {
      await gateway.stop();
      await server.stop();
      await networkOutbox?.stop();
      await networkHandle.close();
      for (const p of partners) await p.close();
    },
  };
}

export { seededPeople, TablePeople, type TablePerson } from './people.js';
export {
  everyObject,
  HostilePartner,
  type Behaviour,
  type HostileRequest,
  type HostileSpace,
  type Json,
} from './hostile-partner.js';
export { REGISTER_FOR_EVENT } from '@tiers-lieux/schema/testkit';
