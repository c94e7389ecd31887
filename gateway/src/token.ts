import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import { issueDevToken } from './auth.js';
import { embeddedSecrets } from './secrets.js';

/**
 * `pnpm token --email karim.haddad@lacantine.example`: a development bearer token for the
 * embedded network, signed with the secret it keeps in its data folder. The token says who
 * signed in; the network says what they may do (the seeded roles).
 */
const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
});
const secrets = embeddedSecrets(process.env.DATA_DIR ?? join(process.cwd(), '.data'));
if (!values.email) {
  console.error('usage: pnpm token --email <email> [--expires 12h]\nseeded people:');
  for (const person of SEEDED_PEOPLE) {
    const roles = [
      ...(person.coordinator ? ['coordinator'] : []),
      ...(person.manages ?? []).map((slug) => `manager of ${slug}`),
      ...(person.staffs ?? []).map((slug) => `staff of ${slug}`),
      ...Object.keys(person.members ?? {}).map((slug) => `member of ${slug}`),
    ];
    console.error(`  ${person.email.padEnd(42)} ${roles.join(', ')}`);
  }
  process.exit(2);
}
const seeded = SEEDED_PEOPLE.find((p) => p.email === values.email);
console.log(
  await issueDevToken(
    { email: values.email, name: seeded?.displayName ?? null },
    secrets.authSecret,
    {
      audience: 'tiers-lieux-network',
      expiresIn: values.expires!,
    },
  ),
);
