import { OLDER_CONTRACT_MISSING, olderContract, testEngines } from '@tiers-lieux/schema/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSeedPartners } from './fixtures.js';
import { createHarness, viewers, type Harness } from './harness.js';
import {
  serveSdl,
  startFakeSubgraph,
  startSilentSubgraph,
  startSpacePartner,
  type TestSubgraph,
} from './partner-subgraphs.js';

const CHECK = 'check { subgraphUrl ok latencyMs error missing }';
const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterPartnerInput!) {
    registerPartner(input: $input) {
      partner { slug status subgraphUrl }
      error { code message field }
      ${CHECK}
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdatePartnerInput!) {
    updatePartner(input: $input) {
      partner { slug subgraphUrl }
      error { code message field }
      ${CHECK}
    }
  }
`;
const HEALTH = /* GraphQL */ `
  query ($slug: String!) {
    partner(slug: $slug) {
      lastCheck {
        checkedAt
        subgraphUrl
        ok
        latencyMs
        error
        missing
      }
      failedCheckCount
    }
  }
`;
// Long enough for a real subgraph on a loaded machine; the silent one shows the budget holds.
const TIMEOUT_MS = 2_000;
const OLDER_MISSING = OLDER_CONTRACT_MISSING;

const partner = (slug: string, subgraphUrl: string) => ({
  slug,
  name: `Tiers-lieu ${slug}`,
  kind: 'ASSOCIATION',
  territory: 'Drôme',
  subgraphUrl,
});

describe('the check of a partner subgraph before the network routes to it', () => {
  let real: TestSubgraph;
  let older: TestSubgraph;
  let silent: TestSubgraph;
  let webPage: TestSubgraph;
  let redirect: TestSubgraph;
  let refusedUrl: string;

  beforeAll(async () => {
    real = await startSpacePartner('ruche');
    older = await serveSdl(olderContract());
    silent = await startSilentSubgraph();
    webPage = await startFakeSubgraph((_req, res) => {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/html');
      res.end('<h1>Not found</h1>');
    });
    redirect = await startFakeSubgraph((_req, res) => {
      res.statusCode = 307;
      res.setHeader('location', real.url);
      res.end();
    });
    const closed = await startSilentSubgraph();
    refusedUrl = closed.url;
    await closed.close();
  });
  afterAll(async () => {
    for (const server of [real, older, silent, webPage, redirect]) await server?.close();
  });

  describe.each(testEngines())('on %s', (engine) => {
    let h: Harness;
    const coordinator = { viewer: viewers.coordinator };
    beforeAll(async () => {
      h = await createHarness({ engine, partnerCheckTimeoutMs: TIMEOUT_MS });
      await registerSeedPartners(h);
    });
    afterAll(() => h.close());

    /** The mutation's answer, and what it changed: nothing but one more recorded check. */
    async function refused(mutation: string, input: Record<string, unknown>) {
      const before = await h.snapshot();
      const result = await h.execute(mutation, { input }, coordinator);
      const after = await h.snapshot();
      expect({ ...after, partner_checks: [] }).toEqual({ ...before, partner_checks: [] });
      expect(after.partner_checks).toHaveLength(before.partner_checks!.length + 1);
      return Object.values(result.data!)[0] as Record<string, any>;
    }

    it('registers a partner whose subgraph answers and serves the whole contract, and records the check', async () => {
      const result = await h.execute(REGISTER, { input: partner('ruche', real.url) }, coordinator);
      expect(result).toEqual({
        data: {
          registerPartner: {
            partner: { slug: 'ruche', status: 'ACTIVE', subgraphUrl: real.url },
            error: null,
            check: {
              subgraphUrl: real.url,
              ok: true,
              latencyMs: expect.any(Number),
              error: null,
              missing: [],
            },
          },
        },
      });
      const health = await h.execute(HEALTH, { slug: 'ruche' }, coordinator);
      expect(health).toEqual({
        data: {
          partner: {
            lastCheck: {
              checkedAt: expect.any(String),
              subgraphUrl: real.url,
              ok: true,
              latencyMs: result.data!.registerPartner.check.latencyMs,
              error: null,
              missing: [],
            },
            failedCheckCount: 0,
          },
        },
      });
    });

    it('refuses a subgraph that serves an older contract, naming every missing part', async () => {
      const payload = await refused(REGISTER, partner('tuves', older.url));
      expect(payload).toEqual({
        partner: null,
        error: {
          code: 'PARTNER_NONCONFORMING',
          message: `The subgraph at ${older.url} lacks 3 parts of the partner contract: ${OLDER_MISSING.join('; ')}`,
          field: 'input.subgraphUrl',
        },
        check: {
          subgraphUrl: older.url,
          ok: false,
          latencyMs: expect.any(Number),
          error: 'lacks 3 parts of the partner contract',
          missing: OLDER_MISSING,
        },
      });
    });

    it('refuses a subgraph that does not answer within the time budget, or at all', async () => {
      const started = Date.now();
      const hanging = await refused(REGISTER, partner('tuves', silent.url));
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
      expect(hanging.error).toEqual({
        code: 'PARTNER_UNREACHABLE',
        message: `The subgraph at ${silent.url} did not answer within ${TIMEOUT_MS} ms`,
        field: 'input.subgraphUrl',
      });
      expect(hanging.check).toMatchObject({ ok: false, missing: [] });
      expect(hanging.check.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);

      const closed = await refused(REGISTER, partner('tuves', refusedUrl));
      expect(closed.error).toEqual({
        code: 'PARTNER_UNREACHABLE',
        message: expect.stringMatching(
          new RegExp(`^The subgraph at ${refusedUrl} did not answer \\(.*ECONNREFUSED.*\\)$`),
        ),
        field: 'input.subgraphUrl',
      });
    });

    it('refuses a URL that answers a web page or a redirect, and follows no redirect', async () => {
      const page = await refused(REGISTER, partner('tuves', webPage.url));
      expect(page.error).toEqual({
        code: 'PARTNER_NONCONFORMING',
        message: `The subgraph at ${webPage.url} answered HTTP 404 without JSON`,
        field: 'input.subgraphUrl',
      });
      const requestsBefore = real.requests();
      const moved = await refused(REGISTER, partner('tuves', redirect.url));
      expect(moved.error).toEqual({
        code: 'PARTNER_NONCONFORMING',
        message: `The subgraph at ${redirect.url} answered a redirect (HTTP 307), which the network does not follow`,
        field: 'input.subgraphUrl',
      });
      expect(real.requests()).toBe(requestsBefore);
    });

    it('checks a new URL of a registered partner, keeps the old one when it fails, and counts the failures', async () => {
      const payload = await refused(UPDATE, { slug: 'ruche', subgraphUrl: older.url });
      expect(payload).toMatchObject({
        partner: null,
        error: { code: 'PARTNER_NONCONFORMING', field: 'input.subgraphUrl' },
        check: { subgraphUrl: older.url, ok: false, missing: OLDER_MISSING },
      });
      await refused(UPDATE, { slug: 'ruche', subgraphUrl: silent.url });
      expect(await h.execute(HEALTH, { slug: 'ruche' }, coordinator)).toEqual({
        data: {
          partner: {
            lastCheck: {
              checkedAt: expect.any(String),
              subgraphUrl: silent.url,
              ok: false,
              latencyMs: expect.any(Number),
              error: `did not answer within ${TIMEOUT_MS} ms`,
              missing: [],
            },
            failedCheckCount: 2,
          },
        },
      });

      const renamed = await h.execute(
        UPDATE,
        { input: { slug: 'ruche', name: 'La Ruche' } },
        coordinator,
      );
      expect(renamed.data!.updatePartner).toEqual({
        partner: { slug: 'ruche', subgraphUrl: real.url },
        error: null,
        check: null,
      });
      const moved = await h.execute(
        UPDATE,
        { input: { slug: 'ruche', subgraphUrl: real.url } },
        coordinator,
      );
      expect(moved.data!.updatePartner).toMatchObject({ error: null, check: { ok: true } });
      const health = await h.execute(HEALTH, { slug: 'ruche' }, coordinator);
      expect(health.data!.partner).toMatchObject({ lastCheck: { ok: true }, failedCheckCount: 2 });
    });

    it('answers an unknown partner before calling any URL', async () => {
      const before = await h.snapshot();
      const result = await h.execute(
        UPDATE,
        { input: { slug: 'nowhere', subgraphUrl: silent.url } },
        coordinator,
      );
      expect(result.data!.updatePartner).toEqual({
        partner: null,
        error: {
          code: 'UNKNOWN_PARTNER',
          message: 'The network has no partner "nowhere"',
          field: 'input.slug',
        },
        check: null,
      });
      expect(await h.snapshot()).toEqual(before);
    });

    it('shows checks to coordinators only', async () => {
      for (const viewer of [
        viewers.anonymous,
        viewers.manager('ruche'),
        viewers.member('ruche:member:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31'),
      ]) {
        expect(await h.execute(HEALTH, { slug: 'ruche' }, { viewer })).toEqual({
          data: { partner: { lastCheck: null, failedCheckCount: null } },
        });
      }
      const never = await h.execute(HEALTH, { slug: 'cantine' }, coordinator);
      expect(never).toEqual({ data: { partner: { lastCheck: null, failedCheckCount: 0 } } });
    });

    it('reads every partner’s last check in one statement per kind', async () => {
      h.resetStatements();
      const result = await h.execute(
        '{ partners { slug lastCheck { ok } failedCheckCount } }',
        {},
        coordinator,
      );
      expect(result.data!.partners).toContainEqual({
        slug: 'ruche',
        lastCheck: { ok: true },
        failedCheckCount: 2,
      });
      expect(h.statements().filter((s) => s.includes('"partner_checks"'))).toHaveLength(2);
    });
  });
});
