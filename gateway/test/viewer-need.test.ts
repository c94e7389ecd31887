import { readSdl } from '@tiers-lieux/schema';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { needsViewer, partnerRequestNeedsViewer } from '../src/viewer-need.js';

const contract = buildSchema(readSdl('space'), { assumeValidSDL: true });
const needs = (document: string) => needsViewer(parse(document), contract);

describe('needsViewer', () => {
  it('lets public selections go without the viewer', () => {
    for (const document of [
      '{ spaces(first: 20) { totalCount edges { cursor node { id name openNow occupancy events { title seatsLeft } } } pageInfo { hasNextPage } } }',
      '{ events { edges { node { id title space { name contact { email phone } } } } } }',
      'query ($id: ID!) { space(id: $id) { ...Card } } fragment Card on Space { name offers { label price { amountCents } } }',
      'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Space { name } ... on Event { title } } }',
      '{ _service { sdl } }',
    ])
      expect(needs(document), document).toBe(false);
  });

  it('sends the viewer with mutations and with selections that depend on it, through fragments too', () => {
    for (const document of [
      'mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { error { code } } }',
      '{ members { totalCount } }',
      'query ($id: ID!) { member(id: $id) { displayName } }',
      '{ spaces { edges { node { members { displayName } } } } }',
      '{ events { edges { node { ...Seats } } } } fragment Seats on Event { title ... on Event { registrations { name } } }',
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Member { displayName } } }',
      'query ($r: [_Any!]!) { _entities(representations: $r) { ...M } } fragment M on Member { id }',
      '{ notAField }',
      '{ space(id: "x") { ...Missing } }',
    ])
      expect(needs(document), document).toBe(true);
  });

  it('answers from the partner contract by the text of a request, and needs the viewer for what does not parse', () => {
    expect(partnerRequestNeedsViewer('{ spaces { totalCount } }')).toBe(false);
    expect(partnerRequestNeedsViewer('{ spaces { edges { node { members { id } } } } }')).toBe(
      true,
    );
    expect(partnerRequestNeedsViewer('{ spaces {')).toBe(true);
  });
});
