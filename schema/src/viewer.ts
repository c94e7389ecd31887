/**
 * Who is asking. The gateway authenticates the request and hands the viewer to the
 * subgraphs; a subgraph treats a request without a trustworthy viewer as anonymous.
 */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'member'; partner: string; memberId: string }
  | { kind: 'manager'; partner: string }
  | { kind: 'coordinator' };

export const ANONYMOUS: Viewer = { kind: 'anonymous' };
