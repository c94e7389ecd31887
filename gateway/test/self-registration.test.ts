import { describe, expect, it } from 'vitest';
import { registersOneself } from '../src/self-registration.js';

/** Which partner requests may carry the signed-in person's verified email (docs/architecture.md §5). */
describe('registersOneself', () => {
  const register = (input: string, variables?: Record<string, unknown>) => ({
    query: `mutation ($input: RegisterForEventInput!) { registerForEvent(input: ${input}) { registration { id } } }`,
    variables: variables ?? {},
  });

  it('is the registration of the person as themselves, inline or by variables', () => {
    expect(registersOneself(register('$input', { input: { eventId: 'a:event:1' } }))).toBe(true);
    expect(
      registersOneself({
        query: `mutation { r: registerForEvent(input: { eventId: "a:event:1", displayName: "Léa" }) { error { code } } }`,
      }),
    ).toBe(true);
  });

  it('is not a registration of a member or of a guest', () => {
    expect(
      registersOneself(
        register('$input', { input: { eventId: 'a:event:1', memberId: 'a:member:2' } }),
      ),
    ).toBe(false);
    expect(
      registersOneself(
        register('$input', {
          input: { eventId: 'a:event:1', guest: { name: 'Zoé', email: 'zoe@example.org' } },
        }),
      ),
    ).toBe(false);
  });

  it('is no query, no other mutation, and no request holding anything besides', () => {
    expect(
      registersOneself({
        query: `query { registerForEvent: spaces(first: 1) { edges { cursor } } }`,
      }),
    ).toBe(false);
    expect(
      registersOneself({
        query: `mutation { cancelRegistration(input: { id: "a:registration:1" }) { error { code } } }`,
      }),
    ).toBe(false);
    expect(
      registersOneself({
        query: `mutation { registerForEvent(input: { eventId: "a:event:1" }) { error { code } } cancelRegistration(input: { id: "a:registration:1" }) { error { code } } }`,
      }),
    ).toBe(false);
    expect(registersOneself({ query: 'mutation { registerForEvent(' })).toBe(false);
    expect(registersOneself({})).toBe(false);
  });
});
