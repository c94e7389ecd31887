import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startSeededNetwork, tokens } from '@tiers-lieux/gateway/testing';
import { seededPersonId } from '@tiers-lieux/schema/seed-people';
import { exportMyData, PASS_PAGE, type Send } from '../src/app/account-export.js';
import { request } from '../src/graphql/client.js';

const INES = 'ines.benali@example.org';
const RURAL_PASS = 'pass-product:be8b75cc-036f-4b27-a87e-9e879ba8d092';

describe('"Télécharger mes données" through the gateway', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let sent: { op: string; variables: unknown }[];
  let send: Send;

  beforeAll(async () => {
    net = await startSeededNetwork();
    const token = await tokens.person(INES);
    send = (op, variables) => {
      sent.push({ op, variables });
      return request(net.gateway.graphqlUrl, op, variables, {
        headers: { authorization: `Bearer ${token}` },
      });
    };
  });
  afterAll(() => net?.stop());

  it('holds every pass of a person with more passes than a page, each once', async () => {
    sent = [];
    const before = await exportMyData(send);
    expect(before.errors).toEqual([]);
    const held = before.me!.passes.length;

    const coordinator = await tokens.coordinator();
    const issued: string[] = [];
    for (let i = 0; i < PASS_PAGE + 5; i++) {
      const answer = await post(
        net.gateway.graphqlUrl,
        `mutation ($input: IssuePassInput!) { issuePass(input: $input) { pass { id } error { code } } }`,
        { input: { productId: RURAL_PASS, holderPersonId: seededPersonId(INES) } },
        coordinator,
      );
      const pass = (answer.data as { issuePass: { pass: { id: string } | null } }).issuePass.pass;
      if (!pass) throw new Error(`issuePass failed: ${JSON.stringify(answer)}`);
      issued.push(pass.id);
    }

    sent = [];
    const after = await exportMyData(send);
    expect(after.errors).toEqual([]);
    const ids = after.me!.passes.map((p) => p.id);
    expect(ids.length).toBe(held + issued.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(issued));
    // The person's data, then a page of passes per PASS_PAGE, and the short last one.
    const pages = sent.filter((s) => s.op.includes('query MyDataPasses'));
    expect(pages.map((p) => p.variables)).toEqual(
      Array.from({ length: Math.floor(ids.length / PASS_PAGE) + 1 }, (_, i) => ({
        first: PASS_PAGE,
        offset: i * PASS_PAGE,
      })),
    );
    expect(after.me!.displayName).toBe(before.me!.displayName);
    expect(after.me!.passes.find((p) => p.id === issued[0])).toMatchObject({
      product: { id: RURAL_PASS },
      redemptions: [],
    });
  });

  it('refuses a negative offset with a coded error', async () => {
    const answer = await post(
      net.gateway.graphqlUrl,
      '{ me { passes(first: 5, offset: -1) { id } } }',
      {},
      await tokens.person(INES),
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
