import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, type ValidationRule } from 'graphql';
import { costLimit, responseSizeLimit } from './cost.js';

/** Limits on what one request may ask, with safe defaults; each is configurable. */
export interface RequestLimits {
  /** Deepest selection, fragments flattened. */
  maxDepth: number;
  /** Aliases in one document. */
  maxAliases: number;
  /** Lexical tokens in one document: bounds its size whatever its shape. */
  maxTokens: number;
  /** Directives in one document. */
  maxDirectives: number;
  /** Price of an operation: the most values its answer can hold (see cost.ts). */
  maxCost: number;
  /** Root fields of one operation. */
  maxRootFields: number;
  /** Bytes of one answer, as JSON; a larger one is replaced by a RESPONSE_TOO_LARGE error. */
  maxResponseBytes: number;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 3000,
  maxDirectives: 30,
  maxCost: 50_000,
  maxRootFields: 12,
  maxResponseBytes: 4 * 1024 * 1024,
};

function rejected(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** graphql-armor has no rule for the number of root fields; this one counts them per operation. */
function maxRootFields(n: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const count = node.selectionSet.selections.filter(
        (s) => s.kind !== Kind.FIELD || s.name.value !== '__typename',
      ).length;
      if (count > n)
        context.reportError(
          rejected(`Syntax Error: Query has ${count} root fields, the limit is ${n}.`),
        );
    },
  });
}

/**
 * Apollo Server leaves operation resolution to a gateway, and @apollo/gateway throws a plain
 * error (an HTTP 500) for an unknown `operationName` or several anonymous operations: answer
 * them as the client errors they are.
 */
export function requireResolvableOperation(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const message = request.operationName
            ? `Unknown operation named "${request.operationName}".`
            : 'Must provide operation name if query contains multiple operations.';
          throw new GraphQLError(message, {
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
          });
        },
      };
    },
  };
}

/**
 * Apollo Server options that enforce the limits: graphql-armor's validation rules and plugins
 * (depth, aliases, directives), no field suggestions (Apollo Server's), the root-field rule, graphql-js's own
 * token limit, our cost limit (armor's prices an unpaginated list as one item) and the cap on
 * the bytes of an answer.
 * Batched HTTP requests stay off (Apollo Server's default).
 */
export function limitsProtection(limits: RequestLimits) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    // Armor's Apollo token plugin re-parses in parsingDidStart, where a syntax error becomes an
    // HTTP 500; graphql-js counts tokens while parsing instead (parseOptions below).
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { enabled: false },
    // Armor's Apollo plugin assigns `message` on every error the request met, and a subgraph's
    // aborted fetch is a DOMException whose `message` has only a getter: the assignment threw
    // and the answer became an internal error. Apollo Server's own option below hides the
    // suggestions of validation errors alone.
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  return {
    // graphql-armor is typed against Apollo Server's CommonJS declarations, we import its ESM
    // ones: the same plugin objects, two copies of the types.
    plugins: [
      ...(protection.plugins as unknown as ApolloServerPlugin<BaseContext>[]),
      requireResolvableOperation(),
      costLimit(limits.maxCost),
      responseSizeLimit(limits.maxResponseBytes),
    ],
    validationRules: [...protection.validationRules, maxRootFields(limits.maxRootFields)],
    parseOptions: { maxTokens: limits.maxTokens },
    hideSchemaDetailsFromClientErrors: true,
  };
}
