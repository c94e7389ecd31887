import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { SEEDED_PASSWORD, SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';

/** What the provider says of an account: the claims of the `openid`, `email` and `profile` scopes. */
export interface Account {
  /** The `sub` claim: stable, never the email (an email may change). */
  id: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

interface StoredAccount extends Account {
  /** `scrypt$N$r$p$salt$hash`, base64url parts: made on the first sign-in that needs it. */
  passwordHash: () => Promise<string>;
}

/** `hash()` on first call only; every caller shares its answer. */
function lazily(hash: () => Promise<string>): () => Promise<string> {
  let made: Promise<string> | null = null;
  return () => (made ??= hash());
}

/** scrypt's cost: 2^15 takes about 50 ms here, a brute force of a stolen hash far longer. */
const COST: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** A password hash as it would be stored: the parameters and salt travel with it. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, COST);
  return [
    'scrypt',
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * The provider's accounts, with their password hashes. An unknown email costs the same scrypt
 * as a wrong password, so response times do not tell which emails have an account.
 */
export class PasswordAccounts {
  private constructor(
    private readonly byEmail: Map<string, StoredAccount>,
    private readonly decoyHash: () => Promise<string>,
  ) {}

  /**
   * The accounts; each password is hashed on the first sign-in that needs it, once per
   * distinct password (the seeded accounts share one), not at start: an scrypt costs about
   * 50 ms of CPU and 32 MB, and the embedded network starts with eighteen accounts.
   */
  static async create(
    accounts: readonly (Account & { password: string })[],
  ): Promise<PasswordAccounts> {
    const hashes = new Map<string, () => Promise<string>>();
    const hashOf = (password: string) => {
      let hash = hashes.get(password);
      if (!hash) hashes.set(password, (hash = lazily(() => hashPassword(password))));
      return hash;
    };
    const stored = accounts.map(({ password, ...account }) => ({
      ...account,
      email: account.email.toLowerCase(),
      passwordHash: hashOf(password),
    }));
    return new PasswordAccounts(
      new Map(stored.map((account) => [account.email, account])),
      lazily(() => hashPassword(randomBytes(16).toString('hex'))),
    );
  }

  /** The seeded people of the embedded network, all with the seeded password. */
  static seeded(): Promise<PasswordAccounts> {
    return PasswordAccounts.create(
      SEEDED_PEOPLE.map((person) => ({
        id: person.uuid,
        email: person.email,
        emailVerified: true,
        name: person.displayName,
        password: SEEDED_PASSWORD,
      })),
    );
  }

  /** The account whose email and password these are, or null. */
  async signIn(email: string, password: string): Promise<Account | null> {
    const account = this.byEmail.get(email.trim().toLowerCase());
    const matches = await passwordMatches(
      password,
      await (account?.passwordHash ?? this.decoyHash)(),
    );
    return account && matches ? withoutHash(account) : null;
  }

  find(id: string): Account | null {
    for (const account of this.byEmail.values()) if (account.id === id) return withoutHash(account);
    return null;
  }
}

function withoutHash({ passwordHash: _, ...account }: StoredAccount): Account {
  return account;
}
