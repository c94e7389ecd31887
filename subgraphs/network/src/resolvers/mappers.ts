import type { PassRow } from '../db/schema.js';

/** A pass row; `codeRevealed` when the viewer found it by its code, and so knows the code. */
export type PassModel = PassRow & { codeRevealed?: boolean };

/** A reference to a partner-owned entity: the network only knows its id. */
export interface EntityRef {
  id: string;
}
