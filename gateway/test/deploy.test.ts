import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { generateViewerKeys } from '@tiers-lieux/schema';
import { startMailCatcher, type MailCatcher } from '@tiers-lieux/subgraph-shell';
import {
  createScratchDatabase,
  testDatabaseUrl,
  type ScratchDatabase,
} from '@tiers-lieux/schema/testkit';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, ROOT, startProgram, type Program } from './processes.js';

/**
 * docs/deploy.md, followed: the services built (`pnpm build`) and run from `dist/` with plain
 * `node`, in production mode, each on its own database of the real PostgreSQL server, as
 * separate processes; migrations as their own step; the partners registered by a coordinator
 * through the gateway; one partner restarted while the network is under load.
 */
const serverUrl = testDatabaseUrl();

const PARTNERS = {
  cantine: { space: 'cantine:space:c8b6a4e2-0d1f-4e3a-b5c7-9e1d3f5a7b63', name: 'La Cantine' },
  laserre: { space: 'laserre:space:2b4d6f80-a1c3-4e5f-b7d9-0c2e4a6b8d85', name: 'La Serre' },
} as const;
type Slug = keyof typeof PARTNERS;
const CAPACITY = 100_000;
const ISSUER = 'https://id.example.org/';
const FIRST_COORDINATOR = 'helene.duval@reseau-tiers-lieux.example';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `node <service>/dist/main.js migrate`, which must exit 0. */
function migrate(main: string, env: Record<string, string>) {
  execFileSync(process.execPath, [main, 'migrate'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', ...env },
    stdio: 'pipe',
  });
}

/** `node subgraphs/network/dist/cli.js grant-coordinator`, which must exit 0. */
function grantCoordinator(env: Record<string, string>) {
  execFileSync(
    process.execPath,
    [
      'subgraphs/network/dist/cli.js',
      'grant-coordinator',
      '--email',
      FIRST_COORDINATOR,
      '--name',
      'Hélène Duval',
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' },
  );
}

describe.skipIf(!serverUrl)('deploying the network as docs/deploy.md says', () => {
  const keys = generateViewerKeys();
  const databases: ScratchDatabase[] = [];
  const programs: Program[] = [];
  const partnerEnv: Partial<Record<Slug, Record<string, string>>> = {};
  const partners: Partial<Record<Slug, Program>> = {};
  let gatewayUrl: string;
  let coordinator: string;
  let mail: MailCatcher;

  const production = { NODE_ENV: 'production', VIEWER_PUBLIC_KEY: keys.publicKey };

  async function startPartner(slug: Slug) {
    const program = startProgram(['subgraphs/space/dist/main.js'], partnerEnv[slug]!);
    programs.push(program);
    partners[slug] = program;
    await program.waitFor(new RegExp(`space subgraph of ${slug} at http`));
  }

  const ask = (query: string, variables?: Record<string, unknown>, token?: string) =>
    graphql(gatewayUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});

  beforeAll(async () => {
    for (const name of ['network', 'cantine', 'laserre'])
      databases.push(await createScratchDatabase(serverUrl!, `deploy_${name}`));
    const [network, cantine, laserre] = databases.map((d) => d.url);

    // Roles are the network's, never a token's: the token only says who signs in, and the
    // network knows that email as its first coordinator.
    const auth = await generateKeyPair('ES256', { extractable: true });
    coordinator = await new SignJWT({ email: FIRST_COORDINATOR, email_verified: true })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setSubject('first-coordinator')
      .setAudience('tiers-lieux-network')
      .setIssuedAt()
      .setExpirationTime('30m')
      .sign(auth.privateKey);

    const networkEnv = {
      ...production,
      DATABASE_URL: network!,
      PORT: '0',
      MIGRATE: 'false',
      LINK_SECRET: 'deploy-test-link-secret-of-the-network-0123456789',
    };
    migrate('subgraphs/network/dist/main.js', networkEnv);
    // docs/deploy.md's "The first coordinator"; twice, as an operator unsure it ran would.
    for (let i = 0; i < 2; i++) grantCoordinator(networkEnv);
    mail = await startMailCatcher();
    const networkProgram = startProgram(['subgraphs/network/dist/main.js'], networkEnv);
    programs.push(networkProgram);
    const [, networkUrl] = await networkProgram.waitFor(/network subgraph at (http:\/\/\S+)/);

    for (const [slug, url] of [
      ['cantine', cantine],
      ['laserre', laserre],
    ] as const) {
      partnerEnv[slug] = {
        ...production,
        PARTNER: slug,
        DATABASE_URL: url!,
        PORT: String(await freePort()),
        MIGRATE: 'false',
        SEED: 'true',
        SMTP_URL: mail.url,
        LINK_SECRET: `deploy-test-link-secret-of-${slug}-0123456789`,
      };
      migrate('subgraphs/space/dist/main.js', partnerEnv[slug]);
    }
    await Promise.all([startPartner('cantine'), startPartner('laserre')]);

    const gateway = startProgram(['gateway/dist/main.js'], {
      NODE_ENV: 'production',
      PORT: '0',
      NETWORK_SUBGRAPH_URL: networkUrl!,
      VIEWER_SIGNING_KEY: keys.signingKey,
      AUTH_PUBLIC_KEY: await exportSPKI(auth.publicKey),
      AUTH_ALGORITHM: 'ES256',
      AUTH_ISSUER: ISSUER,
      REGISTRY_POLL_MS: '300',
      ANONYMOUS_WRITES_PER_WINDOW: '1000000',
    });
    programs.push(gateway);
    [, gatewayUrl] = (await gateway.waitFor(/gateway at (http:\/\/\S+\/graphql)/)) as unknown as [
      string,
      string,
    ];
  }, 300_000);

  afterAll(async () => {
    const codes = await Promise.all(programs.map((p) => p.stop()));
    await Promise.all(databases.map((d) => d.drop()));
    await mail?.close();
    // Every service stops cleanly on SIGTERM: its requests answered, its database closed.
    expect(codes.every((code) => code === 0)).toBe(true);
  }, 120_000);

  it('registers the partners through the gateway, as a coordinator, and routes to them', async () => {
    expect((await fetch(gatewayUrl.replace('/graphql', '/health'))).status).toBe(200);
    for (const slug of ['cantine', 'laserre'] as const) {
      const answer = await ask(
        /* GraphQL */ `
          mutation ($input: RegisterPartnerInput!) {
            registerPartner(input: $input) {
              partner {
                slug
                status
              }
              error {
                code
              }
            }
          }
        `,
        {
          input: {
            slug,
            name: PARTNERS[slug].name,
            kind: 'ASSOCIATION',
            territory: 'Toulouse',
            subgraphUrl: `http://127.0.0.1:${partnerEnv[slug]!.PORT}/`,
          },
        },
        coordinator,
      );
      expect(answer).toEqual({
        data: { registerPartner: { partner: { slug, status: 'ACTIVE' }, error: null } },
      });
    }

    const deadline = Date.now() + 30_000;
    let slugs: string[] = [];
    while (Date.now() < deadline) {
      const answer = await ask('{ spaces(first: 50) { edges { node { partnerSlug } } } }');
      slugs = [
        ...new Set<string>(
          answer.data?.spaces.edges.map(
            (e: { node: { partnerSlug: string } }) => e.node.partnerSlug,
          ),
        ),
      ].sort();
      if (slugs.length === 2 && !answer.errors) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(slugs).toEqual(['cantine', 'laserre']);
    expect((await fetch(gatewayUrl.replace('/graphql', '/ready'))).status).toBe(200);
  });

  it('restarts a partner under load: only its own coded errors while away, nothing lost', async () => {
    const events = {} as Record<Slug, string>;
    for (const slug of ['cantine', 'laserre'] as const) {
      const startsAt = new Date(Date.now() + 30 * 86_400_000);
      const created = await ask(
        /* GraphQL */ `
          mutation ($input: CreateEventInput!) {
            createEvent(input: $input) {
              event {
                id
              }
              error {
                code
              }
            }
          }
        `,
        {
          input: {
            spaceId: PARTNERS[slug].space,
            title: 'Journée portes ouvertes',
            kind: 'INFORMATION_MEETING',
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
            capacity: CAPACITY,
          },
        },
        coordinator,
      );
      expect(created.data?.createEvent.error).toBeNull();
      events[slug] = created.data!.createEvent.event.id;
    }

    const held: Record<Slug, number> = { cantine: 0, laserre: 0 };
    const unexpected: unknown[] = [];
    let partnerErrors = 0;
    let running = true;
    let sequence = 0;

    /** An error is expected only from the partner that is away, and only a coded one. */
    const check = (errors: { extensions?: Record<string, unknown> }[] | undefined) => {
      for (const error of errors ?? []) {
        const code = String(error.extensions?.code ?? '');
        if (error.extensions?.partner === 'cantine' && code.startsWith('PARTNER_')) partnerErrors++;
        else unexpected.push(error);
      }
    };
    const reader = async () => {
      while (running) {
        try {
          const answer = await ask(
            '{ spaces(first: 50) { totalCount edges { node { id partnerSlug } } } events(first: 20) { totalCount } }',
          );
          if (!answer.data) unexpected.push(answer);
          check(answer.errors);
        } catch (error) {
          unexpected.push(String(error));
        }
      }
    };
    const writer = (slug: Slug) => async () => {
      while (running) {
        const n = ++sequence;
        try {
          const answer = await ask(
            /* GraphQL */ `
              mutation ($eventId: ID!, $email: String!) {
                registerForEvent(
                  input: { eventId: $eventId, guest: { name: "Invité", email: $email } }
                ) {
                  answerSentByMail
                  error {
                    code
                  }
                }
              }
            `,
            { eventId: events[slug], email: `invite-${n}@example.org` },
          );
          // An anonymous guest's seat is held at once, confirmed later by the mailed link.
          if (answer.data?.registerForEvent?.answerSentByMail === true) held[slug]++;
          else if (!answer.errors) unexpected.push(answer);
          check(answer.errors);
        } catch (error) {
          unexpected.push(String(error));
        }
      }
    };

    const load = Promise.all([reader(), reader(), writer('cantine')(), writer('laserre')()]);
    const steps: string[] = [];
    const step = (what: string) =>
      steps.push(`${what}: ${JSON.stringify({ held, sequence, partnerErrors })}`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      step('under load');
      expect(await partners.cantine!.stop()).toBe(0);
      step('stopped');
      const awayFrom = held.cantine;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await startPartner('cantine');
      step('started again');
      const backAt = Date.now();
      while (Date.now() - backAt < 3_000 || held.cantine <= awayFrom) {
        if (Date.now() - backAt > 60_000) throw new Error(`no registration after the restart`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      step('back');
    } catch (error) {
      throw new Error(
        `${String(error)}\n${steps.join('\n')}\n${unexpected
          .slice(0, 5)
          .map((e) => JSON.stringify(e))
          .join('\n')}`,
      );
    } finally {
      running = false;
      await load;
    }

    expect(unexpected).toEqual([]);
    expect(partnerErrors).toBeGreaterThan(0);
    expect(held.laserre).toBeGreaterThan(0);
    const seats = await ask(
      /* GraphQL */ `
        query ($cantine: ID!, $laserre: ID!) {
          cantine: event(id: $cantine) {
            seatsLeft
          }
          laserre: event(id: $laserre) {
            seatsLeft
          }
        }
      `,
      { cantine: events.cantine, laserre: events.laserre },
    );
    expect(seats).toEqual({
      data: {
        cantine: { seatsLeft: CAPACITY - held.cantine },
        laserre: { seatsLeft: CAPACITY - held.laserre },
      },
    });
  }, 180_000);
});
