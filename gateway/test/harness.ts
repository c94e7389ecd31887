/** The gateway's tests use the harness it exports to other packages' tests. */
export * from '../src/testing/index.js';
