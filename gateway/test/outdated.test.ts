import { buildSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fillOutdated, stripOutdated } from '../src/partners/outdated.js';

const schema = buildSchema(`
  type Query { spaces: [Space!]! member(id: ID!): Member _entities(representations: [String!]!): [Entity]! }
  union Entity = Space | Member | Person
  type Space { id: ID! name: String! wifi: String members(first: Int): [Member!]! }
  type Member { id: ID! name: String! person: Person }
  type Person { id: ID! visits(since: String): [String!]! }
`);
const OUTDATED = new Set(['Space.wifi', 'Member.person', 'Person']);

describe('stripOutdated', () => {
  it('leaves out what the partner lacks, and the variables and fragments only it used', () => {
    const { query, stripped } = stripOutdated(
      `query Q($since: String, $first: Int) {
        spaces { id wifi members(first: $first) { ...M person { visits(since: $since) } } }
      }
      fragment M on Member { name person { id } }
      fragment P on Person { id }`,
      schema,
      OUTDATED,
    );
    expect(stripped).toBe(true);
    expect(query).toBe(
      print(
        parse(`query Q($first: Int) { spaces { id members(first: $first) { ...M } } }
        fragment M on Member { name }`),
      ),
    );
  });

  it('keeps a selection valid when everything in it was left out', () => {
    const { query } = stripOutdated(
      `query($r: [String!]!) { _entities(representations: $r) { ... on Person { visits } } }`,
      schema,
      OUTDATED,
    );
    expect(query).toContain('_entities(representations: $r) {\n    __typename\n  }');
  });

  it('sends an operation that asks nothing outdated as it is', () => {
    const text = '{ spaces { id name } }';
    expect(stripOutdated(text, schema, OUTDATED)).toMatchObject({ query: text, stripped: false });
  });
});

describe('fillOutdated', () => {
  it('puts null where the client asked for what the partner lacks, through lists and fragments', () => {
    const original = parse(
      `{ spaces { id wifi members { ...M } } } fragment M on Member { name person { id } }`,
    );
    const data = {
      spaces: [
        { id: 's1', members: [{ name: 'A' }, { name: 'B' }] },
        { id: 's2', members: [] },
      ],
    };
    const filled = fillOutdated(data, original, schema, OUTDATED);
    expect(data).toEqual({
      spaces: [
        {
          id: 's1',
          wifi: null,
          members: [
            { name: 'A', person: null },
            { name: 'B', person: null },
          ],
        },
        { id: 's2', wifi: null, members: [] },
      ],
    });
    expect(filled.coordinates).toEqual(['Member.person', 'Space.wifi']);
    expect(filled.paths[0]).toEqual(['spaces', 0, 'wifi']);
  });

  it('types each entity by its representation', () => {
    const original = parse(
      `query($r: [String!]!) { _entities(representations: $r) { ... on Member { person { id } } ... on Space { wifi } } }`,
    );
    const data = { _entities: [{}, {}] };
    fillOutdated(data, original, schema, OUTDATED, ['Member', 'Space']);
    expect(data._entities).toEqual([{ person: null }, { wifi: null }]);
  });
});
