import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  additionsSince,
  contractAt,
  declaredContractVersion,
  judgeSdl,
  parseContractVersion,
  readSdl,
  versioningProblems,
} from '../src/index.js';

const V1_1 = `
  extend schema @partnerContract(version: "1.1.0")
  directive @partnerContract(version: String!) on SCHEMA
  directive @since(version: String!) on FIELD_DEFINITION | OBJECT
  type Query { spaces: [Space!]! person(id: ID!): Person @since(version: "1.1.0") }
  type Space { id: ID! name: String! wifi: String @since(version: "1.1.0") }
  type Person @since(version: "1.1.0") { id: ID! visits: [String!]! }
`;

describe('the partner contract version', () => {
  it('is declared by the contract, and keeps the rules of minor versions', () => {
    const contract = parse(readSdl('space'));
    expect(parseContractVersion(declaredContractVersion(contract)!)).not.toBeNull();
    expect(versioningProblems(contract)).toEqual([]);
  });

  it('refuses a minor addition that is not nullable, or a @since past the contract', () => {
    const broken = V1_1.replace('wifi: String', 'wifi: String!').replace(
      'type Person @since(version: "1.1.0")',
      'type Person @since(version: "1.2.0")',
    );
    expect(versioningProblems(parse(broken))).toEqual([
      'Space.wifi: added in a minor version, so it must be nullable',
      'Person: @since a version outside 1.x up to 1.1.0',
    ]);
  });

  it('is 1.0.0 for an SDL that declares none, and null for one that declares garbage', () => {
    expect(declaredContractVersion(parse('type Query { a: Int }'))).toBe('1.0.0');
    expect(
      declaredContractVersion(
        parse('extend schema @partnerContract(version: "one") type Q { a: Int }'),
      ),
    ).toBeNull();
  });

  it('lists what came after a version, and gives the contract as it was then', () => {
    expect([...additionsSince(parse(V1_1), { major: 1, minor: 0, patch: 0 })].sort()).toEqual([
      'Person',
      'Query.person',
      'Space.wifi',
    ]);
    const before = contractAt(V1_1, '1.0.0');
    expect(before).not.toMatch(/wifi|Person|person/);
    expect(declaredContractVersion(parse(before))).toBe('1.0.0');
  });
});

describe('judgeSdl across versions', () => {
  it('serves a partner one minor version behind, naming what it lacks', () => {
    expect(judgeSdl(V1_1, contractAt(V1_1, '1.0.0'))).toEqual({
      missing: [],
      error: null,
      version: '1.0.0',
      outdated: ['Query.person', 'Space.wifi', 'Person'],
    });
  });

  it('refuses a partner that claims the current version without its fields', () => {
    const claims = contractAt(V1_1, '1.0.0').replace('"1.0.0"', '"1.1.0"');
    expect(judgeSdl(V1_1, claims)).toMatchObject({
      error: 'lacks 3 parts of the partner contract',
      version: '1.1.0',
    });
  });

  it('refuses a partner a major version apart, and one behind on a field of its own version', () => {
    expect(
      judgeSdl(V1_1, V1_1.replace('version: "1.1.0")\n', 'version: "2.0.0")\n')),
    ).toMatchObject({
      error: "serves partner contract 2.0.0, a major version apart from the network's 1.x",
    });
    const lacking = contractAt(V1_1, '1.0.0').replace('name: String!', '');
    expect(judgeSdl(V1_1, lacking)).toMatchObject({ missing: ['Space.name: missing'] });
  });

  it('serves a partner ahead of the network', () => {
    const ahead = V1_1.replace('version: "1.1.0")\n', 'version: "1.4.2")\n');
    expect(judgeSdl(V1_1, ahead)).toMatchObject({ error: null, version: '1.4.2', outdated: [] });
  });
});
