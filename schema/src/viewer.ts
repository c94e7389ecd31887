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

/** Whether the viewer may write the partner's data and read all its members' private data. */
export function managesPartner(viewer: Viewer, partner: string): boolean {
  return viewer.kind === 'coordinator' || (viewer.kind === 'manager' && viewer.partner === partner);
}

/** Whether the viewer may read a member's private data (email, phone, visits…). */
export function maySeePrivateDataOf(viewer: Viewer, partner: string, memberId: string): boolean {
  return (
    managesPartner(viewer, partner) ||
    (viewer.kind === 'member' && viewer.partner === partner && viewer.memberId === memberId)
  );
}
