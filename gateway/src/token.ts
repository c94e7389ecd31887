import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { issueToken } from './auth.js';
import { embeddedSecrets } from './secrets.js';

/**
 * `pnpm token --role manager --partner cantine`: a bearer token for the embedded network,
 * signed with the secret it keeps in its data folder.
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    partner: { type: 'string' },
    member: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
});
const secrets = embeddedSecrets(process.env.DATA_DIR ?? join(process.cwd(), '.data'));
const options = { audience: 'tiers-lieux-network', expiresIn: values.expires! };
const usage =
  'usage: pnpm token --role coordinator | --role manager --partner <slug> | --role member --member <member id>';

let token: string;
if (values.role === 'coordinator')
  token = await issueToken({ role: 'coordinator' }, secrets.authSecret, options);
else if (values.role === 'manager' && values.partner) {
  token = await issueToken(
    { role: 'manager', partner: values.partner },
    secrets.authSecret,
    options,
  );
} else if (values.role === 'member' && values.member) {
  token = await issueToken({ role: 'member', member: values.member }, secrets.authSecret, options);
} else {
  console.error(usage);
  process.exit(2);
}
console.log(token);
