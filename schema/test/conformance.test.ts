import { describe, expect, it } from 'vitest';
import { contractGaps, describeGap, judgeSdl, readSdl } from '../src/index.js';

const CONTRACT = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  scalar DateTime
  type Query {
    spaces(first: Int, after: String, filter: SpaceFilter): [Space!]!
    space(id: ID!): Space
  }
  type Space @key(fields: "id") {
    id: ID!
    name: String!
    status: SpaceStatus!
    tags: [String!]!
    openedAt: DateTime
  }
  enum SpaceStatus {
    OPEN
    CLOSED
  }
  input SpaceFilter {
    city: String
    kinds: [SpaceStatus!]
  }
  interface Node {
    id: ID!
  }
  union Found = Space
`;

describe('contractGaps', () => {
  it('finds nothing missing in the contract itself, nor in a partner ahead of it', () => {
    expect(contractGaps(CONTRACT, CONTRACT)).toEqual([]);
    const ahead = /* GraphQL */ `
      scalar DateTime
      scalar Url
      type Query {
        spaces(first: Int, after: String, filter: SpaceFilter, near: String): [Space!]!
        space(id: ID, slug: String): Space!
        events: [String!]!
      }
      type Space @key(fields: "id") @key(fields: "slug") {
        id: ID!
        slug: String!
        name: String!
        status: SpaceStatus!
        tags: [String!]!
        openedAt: DateTime!
        website: Url
      }
      enum SpaceStatus {
        OPEN
        CLOSED
        MOVED
      }
      input SpaceFilter {
        city: String
        kinds: [SpaceStatus!]
        department: String
        size: Int = 3
      }
      interface Node {
        id: ID!
      }
      union Found = Space | Node
    `;
    expect(contractGaps(CONTRACT, ahead)).toEqual([]);
  });

  it('merges extensions into their types, as a printed subgraph SDL may split them', () => {
    const split = CONTRACT.replace(
      '    tags: [String!]!\n    openedAt: DateTime\n  }',
      '  }\n  extend type Space {\n    tags: [String!]!\n    openedAt: DateTime\n  }',
    );
    expect(split).toContain('extend type Space');
    expect(contractGaps(CONTRACT, split)).toEqual([]);
  });

  it('lists every missing type, field, argument, enum value and input field', () => {
    const behind = /* GraphQL */ `
      type Query {
        spaces(first: Int, filter: SpaceFilter): [Space!]!
        space(id: ID!): Space
      }
      type Space @key(fields: "id") {
        id: ID!
        name: String!
        status: SpaceStatus!
        openedAt: String
      }
      enum SpaceStatus {
        OPEN
      }
      input SpaceFilter {
        kinds: [SpaceStatus!]
      }
      interface Node {
        id: ID!
      }
      union Found = Space
    `;
    expect(contractGaps(CONTRACT, behind).map(describeGap)).toEqual([
      'DateTime: missing',
      'Query.spaces(after:): missing',
      'Space.tags: missing',
      'Space.openedAt: expected DateTime, served String',
      'SpaceStatus.CLOSED: missing',
      'SpaceFilter.city: missing',
    ]);
  });

  it('refuses types a client of the contract cannot use', () => {
    const incompatible = /* GraphQL */ `
      scalar DateTime
      type Query {
        spaces(first: Int!, after: String, filter: SpaceFilter, since: DateTime!): [Space]!
        space(id: ID!): [Space]
      }
      type Space @key(fields: "name") {
        id: ID!
        name: String
        status: String!
        tags: [String!]!
        openedAt: DateTime
      }
      type SpaceStatus {
        OPEN: Boolean
      }
      input SpaceFilter {
        city: [String]
        kinds: [SpaceStatus!]
        zip: String!
      }
      type Node {
        id: ID!
      }
      union Found = Node
    `;
    expect(contractGaps(CONTRACT, incompatible)).toEqual([
      {
        coordinate: 'Query.spaces',
        problem: 'incompatible',
        expected: '[Space!]!',
        served: '[Space]!',
      },
      {
        coordinate: 'Query.spaces(first:)',
        problem: 'incompatible',
        expected: 'Int',
        served: 'Int!',
      },
      {
        coordinate: 'Query.spaces(since:)',
        problem: 'incompatible',
        expected: 'absent or optional',
        served: 'DateTime!',
      },
      { coordinate: 'Query.space', problem: 'incompatible', expected: 'Space', served: '[Space]' },
      {
        coordinate: 'Space',
        problem: 'incompatible',
        expected: '@key(fields: "id")',
        served: '@key(fields: "name")',
      },
      { coordinate: 'Space.name', problem: 'incompatible', expected: 'String!', served: 'String' },
      {
        coordinate: 'Space.status',
        problem: 'incompatible',
        expected: 'SpaceStatus!',
        served: 'String!',
      },
      { coordinate: 'SpaceStatus', problem: 'incompatible', expected: 'enum', served: 'type' },
      {
        coordinate: 'SpaceFilter.city',
        problem: 'incompatible',
        expected: 'String',
        served: '[String]',
      },
      {
        coordinate: 'SpaceFilter.zip',
        problem: 'incompatible',
        expected: 'absent or optional',
        served: 'String!',
      },
      { coordinate: 'Node', problem: 'incompatible', expected: 'interface', served: 'type' },
      { coordinate: 'Found', problem: 'incompatible', expected: '= Space', served: '= Node' },
    ]);
  });

  it('accepts a partner that requires less of an argument than the contract', () => {
    const lenient = CONTRACT.replace('space(id: ID!)', 'space(id: ID)');
    expect(contractGaps(CONTRACT, lenient)).toEqual([]);
    expect(contractGaps(lenient, CONTRACT)).toEqual([
      { coordinate: 'Query.space(id:)', problem: 'incompatible', expected: 'ID', served: 'ID!' },
    ]);
  });

  it('checks object types against the interfaces the contract says they implement', () => {
    const contract = `interface Node { id: ID! } type Space implements Node { id: ID! }`;
    expect(contractGaps(contract, `interface Node { id: ID! } type Space { id: ID! }`)).toEqual([
      {
        coordinate: 'Space',
        problem: 'incompatible',
        expected: 'implements Node',
        served: 'no interface',
      },
    ]);
  });

  it('finds the real partner contract complete in itself', () => {
    expect(contractGaps(readSdl('space'), readSdl('space'))).toEqual([]);
  });
});

describe('judgeSdl', () => {
  it('says how many parts are missing and lists them, or that the SDL does not parse', () => {
    expect(judgeSdl(CONTRACT, CONTRACT)).toEqual({
      missing: [],
      error: null,
      version: '1.0.0',
      outdated: [],
    });
    expect(judgeSdl(CONTRACT, CONTRACT.replace('CLOSED', ''))).toEqual({
      missing: ['SpaceStatus.CLOSED: missing'],
      error: 'lacks 1 part of the partner contract',
      version: '1.0.0',
      outdated: [],
    });
    expect(judgeSdl(CONTRACT, 'type Query {')).toEqual({
      missing: [],
      version: null,
      outdated: [],
      error: expect.stringMatching(/^answered an SDL that does not parse \(Syntax Error/),
    });
  });
});
