import { buildASTSchema, parse, type DocumentNode, type GraphQLSchema } from 'graphql';

let built: { sdl: string; document: DocumentNode; schema: GraphQLSchema } | null = null;

/**
 * The supergraph's document and schema, made of this package's graphql objects, built once per
 * SDL: the partner router and the cost limit both read them, and parsing the supergraph is a
 * noticeable part of the gateway's start.
 */
export function supergraphSchema(sdl: string): { document: DocumentNode; schema: GraphQLSchema } {
  if (built?.sdl !== sdl) {
    const document = parse(sdl);
    built = { sdl, document, schema: buildASTSchema(document, { assumeValidSDL: true }) };
  }
  return built;
}
