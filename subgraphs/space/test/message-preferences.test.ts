import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setMessagePreference } from '../src/data/preferences.js';
import { createHarness, viewers, type Harness } from './harness.js';

const PREFERENCES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Person {
        eventMessagePreferences {
          partner
          kind
          subscribed
          setByLink
        }
      }
    }
  }
`;

/** A person's choice of reminders at one partner: theirs and their member records' links'. */
describe('Person.eventMessagePreferences', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ partner: 'laserre' });
  });
  afterAll(() => h.close());

  const preferences = async (member: { personId: string | null }) => {
    const answer = await h.execute(
      PREFERENCES,
      { representations: [{ __typename: 'Person', id: `network:person:${member.personId}` }] },
      { viewer: viewers.member(member) },
    );
    return answer.data!._entities[0].eventMessagePreferences;
  };

  it('shows what the link of an older mail to the member record turned off, until the person chooses again', async () => {
    const member = await h.seed.member({ displayName: 'Inès' });
    expect(await preferences(member)).toEqual([
      { partner: 'laserre', kind: 'REMINDER', subscribed: true, setByLink: false },
    ]);
    await setMessagePreference(h.db, {
      subject: `member:${member.id}`,
      kind: 'reminder',
      subscribed: false,
      byLink: true,
    });
    expect(await preferences(member)).toEqual([
      { partner: 'laserre', kind: 'REMINDER', subscribed: false, setByLink: true },
    ]);
    const set = await h.execute(
      `mutation ($input: SetEventMessagePreferenceInput!) {
        setEventMessagePreference(input: $input) { kind subscribed error { code } }
      }`,
      {
        input: {
          personId: `network:person:${member.personId}`,
          kind: 'REMINDER',
          subscribed: true,
        },
      },
      { viewer: viewers.member(member) },
    );
    expect(set.data!.setEventMessagePreference).toEqual({
      kind: 'REMINDER',
      subscribed: true,
      error: null,
    });
    expect(await preferences(member)).toEqual([
      { partner: 'laserre', kind: 'REMINDER', subscribed: true, setByLink: false },
    ]);
  });

  it('answers nobody but the person', async () => {
    const member = await h.seed.member({ displayName: 'Thomas' });
    for (const viewer of [viewers.coordinator, viewers.manager('laserre'), viewers.anonymous]) {
      const answer = await h.execute(
        PREFERENCES,
        { representations: [{ __typename: 'Person', id: `network:person:${member.personId}` }] },
        { viewer },
      );
      expect(answer.data!._entities[0].eventMessagePreferences).toBeNull();
    }
  });
});
