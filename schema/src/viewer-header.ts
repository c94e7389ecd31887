import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  type KeyObject,
} from 'node:crypto';
import { importPKCS8, importSPKI, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { z } from 'zod';
import { ANONYMOUS, type Viewer } from './viewer.js';
import { isPersonId, PARTNER_SLUG_PATTERN } from './ids.js';

/**
 * The gateway tells a subgraph who is asking in this header: a short-lived ES256 token signed
 * with a key only the gateway holds; subgraphs hold the public key, so a partner that runs a
 * subgraph can verify headers but cannot make one for another partner's subgraph. Its claims:
 *
 * - `iss` the gateway, `aud` the subgraph it is meant for (`network`, `partner:<slug>`);
 * - `iat`, `exp`: a lifetime of seconds (`DEFAULT_VIEWER_LIFETIME_SECONDS`);
 * - `jti`: random and fresh for every header, so that a subgraph accepts each header once;
 * - `requestHash`: the SHA-256 (base64url) of the GraphQL request the header travels with
 *   (document, operation name and variables, see `requestHash`), so that the header says who
 *   asks *this* request and nothing else;
 * - `requestId`: the client request the subgraph request serves (shared by all its fetches),
 *   for the logs;
 * - `viewer`: who asks, as the audience may see it (`viewerForAudience`): a partner is told only
 *   the roles that concern it, and only the network is ever told it is the gateway asking.
 *   A person's email is never part of it, except where the gateway adds it on purpose
 *   (`SignViewerOptions.email`).
 *
 * A subgraph that cannot verify it (absent, forged, expired, meant for another audience or
 * another request, already used) treats the request as an anonymous visitor's.
 */
export const VIEWER_HEADER = 'x-network-viewer';
const ISSUER = 'tiers-lieux-gateway';
export const DEFAULT_VIEWER_LIFETIME_SECONDS = 10;
/** How far the clocks of the gateway and a subgraph may disagree. */
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

/** A network of a few dozen partners; a person with more roles than this is refused. */
const MAX_ROLES = 200;
const PartnerSlugs = z.array(z.string().regex(PARTNER_SLUG_PATTERN)).max(MAX_ROLES);

/** The `viewer` claim of a header, as `Viewer` describes it. */
export const ViewerClaim = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anonymous') }),
  z.object({
    kind: z.literal('person'),
    personId: z.string().refine(isPersonId, 'a person id (network:person:<uuid>)'),
    coordinator: z.boolean(),
    manages: PartnerSlugs,
    staffs: PartnerSlugs,
    email: z.string().email().max(320).optional(),
  }),
  z.object({ kind: z.literal('gateway') }),
]);

export type PersonViewer = Extract<Viewer, { kind: 'person' }>;

/** The viewer of the gateway's own requests to the network subgraph. */
export const GATEWAY_VIEWER: Viewer = { kind: 'gateway' };

/**
 * The viewer as the subgraph `audience` may see it: the network sees it whole; a partner
 * (`partner:<slug>`) sees the person and whether they coordinate the network, but only the
 * roles that concern that partner; the gateway's own viewer exists only for the network. Any
 * other audience sees the person without partner roles.
 */
export function viewerForAudience(viewer: Viewer, audience: string): Viewer {
  if (audience === 'network') return viewer;
  if (viewer.kind !== 'person') return ANONYMOUS;
  const partner = audience.startsWith('partner:') ? audience.slice('partner:'.length) : null;
  const concerns = (slug: string) => slug === partner;
  return {
    kind: 'person',
    personId: viewer.personId,
    coordinator: viewer.coordinator,
    manages: viewer.manages.filter(concerns),
    staffs: viewer.staffs.filter(concerns),
  };
}

/** The curve of the viewer keys: ES256 signatures, which WebCrypto verifies everywhere. */
const ALGORITHM = 'ES256';

/** A new pair of viewer keys, as PEM: the gateway keeps the signing key, subgraphs the public one. */
export function generateViewerKeys(): { signingKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { signingKey: privateKey, publicKey };
}

/**
 * What is wrong with a PEM viewer key, or null when it is a P-256 key of the right kind: the
 * configurations check their key at start rather than at the first request.
 */
export function viewerKeyProblem(pem: string, kind: 'signing' | 'public'): string | null {
  // Node derives a public key from a private one: a subgraph must never be handed the latter.
  if (kind === 'public' && !pem.includes('-----BEGIN PUBLIC KEY-----'))
    return 'is not a PEM SPKI public key';
  try {
    const key = kind === 'signing' ? createPrivateKey(pem) : createPublicKey(pem);
    return key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
      ? null
      : 'must be a P-256 (ES256) key';
  } catch {
    return `is not a PEM ${kind === 'signing' ? 'PKCS#8 private' : 'SPKI public'} key`;
  }
}

const importedKeys = new Map<string, Promise<CryptoKey>>();

/** A PEM key imported once: importing it again for every header would double its cost. */
function imported(pem: string, kind: 'signing' | 'public'): Promise<CryptoKey> {
  let key = importedKeys.get(pem);
  if (!key) {
    key = kind === 'signing' ? importPKCS8(pem, ALGORITHM) : importSPKI(pem, ALGORITHM);
    importedKeys.set(pem, key);
  }
  return key;
}

/**
 * A GraphQL request as a subgraph receives it over HTTP, that a viewer header is bound to. The
 * names are those of the request body, of Apollo Server's `GraphQLRequest` and of the
 * gateway's subgraph requests.
 */
export interface BoundRequest {
  query?: string | null | undefined;
  operationName?: string | null | undefined;
  variables?: Readonly<Record<string, unknown>> | null | undefined;
}

/**
 * A JSON value written with the keys of every object in code-unit order: the same value gives
 * the same text on both sides of the wire, whatever order the keys were written or parsed in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const members = Object.keys(object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The SHA-256 (base64url) of a request's document, operation name and variables, canonically
 * serialised. Absent variables and an empty object are the same, as are an absent operation
 * name and null. Values go through JSON first, as they do on the wire (undefined properties
 * vanish, dates become strings).
 */
export function requestHash(request: BoundRequest): string {
  const wire: unknown = JSON.parse(
    JSON.stringify([request.query ?? null, request.operationName ?? null, request.variables ?? {}]),
  );
  return createHash('sha256').update(canonicalJson(wire)).digest('base64url');
}

export interface SignViewerOptions {
  audience: string;
  /**
   * A signed-in person's verified email, told to this audience with this one request (the
   * gateway does so only for a registration as oneself, to the event's partner).
   */
  email?: string;
  request?: BoundRequest;
  requestId?: string;
  ttlSeconds?: number;
}

/**
 * The claims of a viewer header (see `VIEWER_HEADER`), issued now, with a fresh `jti`; the
 * viewer as the audience may see it.
 */
function viewerClaims(viewer: Viewer, options: SignViewerOptions) {
  const issuedAt = Math.floor(Date.now() / 1000);
  return {
    viewer: withEmail(viewerForAudience(viewer, options.audience), options.email),
    ...(options.request ? { requestHash: requestHash(options.request) } : {}),
    ...(options.requestId ? { requestId: options.requestId } : {}),
    iss: ISSUER,
    aud: options.audience,
    iat: issuedAt,
    exp: issuedAt + (options.ttlSeconds ?? DEFAULT_VIEWER_LIFETIME_SECONDS),
    jti: randomUUID(),
  };
}

/** A person viewer with their email, when there is one to tell; any other viewer as it is. */
function withEmail(viewer: Viewer, email: string | undefined): Viewer {
  return email && viewer.kind === 'person' ? { ...viewer, email } : viewer;
}

/**
 * Signs the viewer for one subgraph request, with the gateway's signing key (PEM). A header
 * signed without `request` is bound to no request, and no subgraph accepts it.
 */
export async function signViewer(
  viewer: Viewer,
  signingKey: string,
  options: SignViewerOptions,
): Promise<string> {
  return new SignJWT(viewerClaims(viewer, options))
    .setProtectedHeader({ alg: ALGORITHM })
    .sign(await imported(signingKey, 'signing'));
}

const signingKeys = new Map<string, KeyObject>();

/**
 * `signViewer`, synchronously (node:crypto): for a caller that must sign inside a synchronous
 * hook, as the bench's load generator does for each request it builds.
 */
export function signViewerSync(
  viewer: Viewer,
  signingKey: string,
  options: SignViewerOptions,
): string {
  let key = signingKeys.get(signingKey);
  if (!key) signingKeys.set(signingKey, (key = createPrivateKey(signingKey)));
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode({ alg: ALGORITHM })}.${encode(viewerClaims(viewer, options))}`;
  // JWS wants the raw r‖s of ES256, not the DER that node:crypto writes by default.
  const signature = sign('sha256', Buffer.from(signed), { key, dsaEncoding: 'ieee-p1363' });
  return `${signed}.${signature.toString('base64url')}`;
}

/** Where a subgraph records the viewer headers it accepted, so that it accepts each once. */
export interface ViewerTokenLedger {
  /**
   * True the first time a token id is claimed; false afterwards, or when the ledger cannot
   * remember it (full), since a token it cannot remember could be replayed.
   */
  claim(jti: string, expiresAtMs: number): boolean | Promise<boolean>;
}

/**
 * The ids of the viewer headers a subgraph accepted, kept until the headers expire: a second
 * use of a header is anonymous. Bounded in size; when every entry is still live, new headers
 * are refused (anonymous) rather than old ones forgotten. With a lifetime of 10 s the default
 * bound is 10,000 subgraph requests a second.
 *
 * In memory, per process: enough for a subgraph that runs as one process. A partner that runs
 * several replicas behind a load balancer would let a captured header be used once at each
 * replica within its lifetime. The binding limits that replay to the very request the header
 * was signed for, whose answer the eavesdropper already saw, but a mutation would run again:
 * such a partner should give its replicas one shared ledger (a `SET jti 1 NX PX <ttl>` in
 * Redis implements `claim`), or pin each gateway connection to one replica.
 */
export class SeenViewerTokens implements ViewerTokenLedger {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly capacity = 100_000) {}

  claim(jti: string, expiresAtMs: number, nowMs = Date.now()): boolean {
    this.sweep(nowMs, false);
    if (this.expiries.has(jti)) return false;
    if (this.expiries.size >= this.capacity) this.sweep(nowMs, true);
    if (this.expiries.size >= this.capacity) return false;
    this.expiries.set(jti, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  /**
   * Forgets expired ids. Headers share one lifetime, so insertion order is expiry order and
   * the cheap sweep stops at the first live entry; the full one looks at every entry.
   */
  private sweep(nowMs: number, full: boolean): void {
    for (const [jti, expiresAt] of this.expiries) {
      if (expiresAt <= nowMs) this.expiries.delete(jti);
      else if (!full) return;
    }
  }
}

export interface VerifyViewerOptions {
  audience: string;
  /** The request the header came with, as the subgraph received it. */
  request: BoundRequest;
  /** The headers already accepted. */
  seen: ViewerTokenLedger;
  clockToleranceSeconds?: number;
}

/**
 * The viewer a request carries, or the anonymous visitor when the header cannot be trusted:
 * absent, forged, expired, meant for another subgraph, bound to another request or already
 * used. The viewer is the audience's projection (`viewerForAudience`) whatever the header
 * says, so a partner never sees another partner's roles nor the gateway's own viewer.
 */
export async function verifyViewer(
  header: string | string[] | null | undefined,
  publicKey: string | null | undefined,
  options: VerifyViewerOptions,
): Promise<Viewer> {
  if (!publicKey || typeof header !== 'string' || header.length === 0 || header.length > 4096)
    return ANONYMOUS;
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  try {
    const { payload } = await jwtVerify(header, await imported(publicKey, 'public'), {
      issuer: ISSUER,
      audience: options.audience,
      algorithms: [ALGORITHM],
      requiredClaims: ['exp', 'jti'],
      clockTolerance: tolerance,
    });
    const viewer = ViewerClaim.safeParse(payload.viewer);
    if (!viewer.success) return ANONYMOUS;
    if (payload.requestHash !== requestHash(options.request)) return ANONYMOUS;
    const expiresAtMs = (payload.exp! + tolerance) * 1000;
    if (!(await options.seen.claim(payload.jti!, expiresAtMs))) return ANONYMOUS;
    const email = viewer.data.kind === 'person' ? viewer.data.email : undefined;
    return withEmail(viewerForAudience(viewer.data, options.audience), email);
  } catch {
    return ANONYMOUS;
  }
}

/**
 * An environment variable holding a PEM viewer key, checked at start; `\n` escapes stand for
 * line breaks, so the key fits on one line of a `.env` file.
 */
export function viewerKeySetting(kind: 'signing' | 'public') {
  return z
    .string()
    .min(1)
    .transform((value) => value.replace(/\\n/g, '\n'))
    .superRefine((pem, ctx) => {
      const problem = viewerKeyProblem(pem, kind);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
