import type { TestProject } from 'vitest/node';
import { spaceDatabase } from '../src/db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tarball of a migrated, empty space database: each suite loads it instead of initialising PGlite. */
    spaceTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  project.provide('spaceTemplate', await spaceDatabase.migratedTemplateFile());
}
