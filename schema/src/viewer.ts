/**
 * Who is asking. The gateway authenticates the request, asks the network which person it is and
 * what roles the network grants them, and hands the viewer to the subgraphs; a subgraph treats a
 * request without a trustworthy viewer as anonymous.
 */
export type Viewer =
  | { kind: 'anonymous' }
  /** A signed-in person and the roles the network grants them (never read from token claims). */
  | {
      kind: 'person';
      /** `network:person:<uuid>` */
      personId: string;
      coordinator: boolean;
      /** Slugs of the partners the person manages. */
      manages: readonly string[];
      /** Slugs of the partners whose front desk the person staffs (check-in, redemptions, registrations; no settings). */
      staffs: readonly string[];
      /**
       * The person's verified email: only in the header of the mutation that registers them
       * as themselves for an event, to that event's partner (`SignViewerOptions.email`).
       */
      email?: string;
    }
  /** The gateway itself, for the network subgraph's internal operations (resolving a sign-in). */
  | { kind: 'gateway' };

export const ANONYMOUS: Viewer = { kind: 'anonymous' };
