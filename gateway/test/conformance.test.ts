import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, startPartner, type RunningPartner } from '../src/testing/index.js';

describe('GraphQL over HTTP conformance of the gateway (graphql-http audit)', () => {
  let partner: RunningPartner;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    partner = await startPartner('cantine');
    gateway = await startGateway({
      partners: [{ slug: 'cantine', url: partner.url, status: 'ACTIVE' }],
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await partner?.close();
  });

  it('fails no MUST of the GraphQL-over-HTTP specification', async () => {
    const results = await auditServer({ url: gateway.graphqlUrl });
    const failedMusts = results
      .filter((r) => r.status === 'error')
      .map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    const warnings = results.filter((r) => r.status === 'warn');
    console.log(
      `graphql-http audit: ${results.length} audits, ${results.filter((r) => r.status === 'ok').length} ok, ${warnings.length} SHOULD/MAY warnings, ${failedMusts.length} failed MUSTs`,
    );
    expect(failedMusts).toEqual([]);
  });
});
