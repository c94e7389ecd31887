import { GATEWAY_VIEWER, isPersonId, PARTNER_SLUG_PATTERN, type Viewer } from '@tiers-lieux/schema';
import { GraphQLError } from 'graphql';
import { REQUEST_ID_HEADER } from '@tiers-lieux/subgraph-shell';
import { z } from 'zod';
import type { ViewerHeaders } from './viewer-headers.js';

/**
 * Who signed in, as the identity provider says (a bearer token's or a session's claims): an
 * identity, never roles. The network links it to a person and grants the roles.
 */
export interface Identity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/** Turns an identity into the viewer of a request: the person and the roles the network grants. */
export interface PeopleDirectory {
  /** `requestId`: the gateway request that asks, carried to the network's log lines. */
  viewerFor(identity: Identity, requestId?: string): Promise<Viewer>;
}

/**
 * A signed-in request whose person cannot be resolved fails: it never goes on as an anonymous
 * one, which would hide the outage behind answers that look right and are not.
 */
export class SignInUnavailableError extends GraphQLError {
  constructor() {
    super('Sign-in cannot be resolved now: the network does not answer; try again shortly', {
      extensions: { code: 'SIGN_IN_UNAVAILABLE', http: { status: 503 } },
    });
  }
}

/** The network subgraph's internal operation that resolves a sign-in (brief §4). */
export const SIGN_IN_MUTATION = /* GraphQL */ `
  mutation SignIn($identity: SignInIdentityInput!) {
    signIn(identity: $identity) {
      personId
      coordinator
      manages
      staffs
    }
  }
`;

const Slugs = z.array(z.string().regex(PARTNER_SLUG_PATTERN)).max(200);
const SignInAnswer = z.object({
  data: z.object({
    signIn: z.object({
      personId: z.string().refine(isPersonId),
      coordinator: z.boolean(),
      manages: Slugs,
      staffs: Slugs,
    }),
  }),
});

export interface NetworkPeopleOptions {
  /** The network subgraph's URL, known once the supergraph is loaded. */
  url: () => string | undefined;
  /** Signs the gateway's own viewer for the network subgraph, bound to the request. */
  viewerHeaders: ViewerHeaders;
  timeoutMs: number;
  /** Why a sign-in failed, for the operators; never the identity's personal data. */
  log?: (message: string) => void;
}

/**
 * The people directory of the network subgraph: each call is its internal `signIn` mutation,
 * sent to the subgraph's own URL as the gateway (a `gateway` viewer header). Uncached: wrap it
 * in `cachedPeople`.
 */
export function networkPeople(options: NetworkPeopleOptions): PeopleDirectory {
  const log = options.log ?? (() => {});
  return {
    async viewerFor(identity, requestId) {
      const url = options.url();
      if (!url) {
        log('sign-in: the supergraph has no network subgraph to resolve people');
        throw new SignInUnavailableError();
      }
      const request = { query: SIGN_IN_MUTATION, variables: { identity } };
      let body: unknown;
      let status = 0;
      try {
        const response = await fetch(url, {
          method: 'POST',
          redirect: 'error',
          headers: {
            'content-type': 'application/json',
            ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
            ...(await options.viewerHeaders(
              'network',
              { viewer: GATEWAY_VIEWER, requestId },
              request,
            )),
          },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        status = response.status;
        body = await response.json();
      } catch (error) {
        log(
          `sign-in: the network subgraph failed (${error instanceof Error ? error.name : 'error'})`,
        );
        throw new SignInUnavailableError();
      }
      const answer = SignInAnswer.safeParse(body);
      if (!answer.success) {
        const codes = (body as { errors?: { extensions?: { code?: unknown } }[] } | null)?.errors
          ?.map((e) => String(e.extensions?.code ?? 'no code'))
          .join(', ');
        log(
          `sign-in: the network subgraph answered no person (HTTP ${status}${codes ? `; ${codes}` : ''})`,
        );
        throw new SignInUnavailableError();
      }
      const { personId, coordinator, manages, staffs } = answer.data.data.signIn;
      return { kind: 'person', personId, coordinator, manages, staffs };
    },
  };
}

export interface CachedPeopleOptions {
  /** How long an identity's viewer is kept: a revoked role stops working within that. */
  seconds: number;
  /** Identities remembered at once; the oldest is forgotten first. */
  maxEntries?: number;
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
}

/**
 * A people directory that remembers each identity's viewer for a few seconds and shares the
 * lookups in flight, so that a page's burst of requests asks the network once. Failures are
 * not remembered: the next request asks again.
 */
export function cachedPeople(
  directory: PeopleDirectory,
  options: CachedPeopleOptions,
): PeopleDirectory {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const kept = new Map<string, { viewer: Viewer; expiresAt: number }>();
  const inflight = new Map<string, Promise<Viewer>>();
  return {
    viewerFor(identity, requestId) {
      const key = JSON.stringify([
        identity.issuer,
        identity.subject,
        identity.email,
        identity.emailVerified,
        identity.name,
      ]);
      const known = kept.get(key);
      if (known && known.expiresAt > now()) return Promise.resolve(known.viewer);
      if (known) kept.delete(key);
      let pending = inflight.get(key);
      if (!pending) {
        pending = directory.viewerFor(identity, requestId).then((viewer) => {
          if (options.seconds > 0) {
            if (kept.size >= maxEntries) kept.delete(kept.keys().next().value!);
            kept.set(key, { viewer, expiresAt: now() + options.seconds * 1000 });
          }
          return viewer;
        });
        inflight.set(key, pending);
        const forget = () => inflight.delete(key);
        pending.then(forget, forget);
      }
      return pending;
    },
  };
}
