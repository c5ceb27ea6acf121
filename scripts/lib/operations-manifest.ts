/**
 * Registered client operations as persisted operations: each one's id is the sha256 (hex) of
 * its document exactly as `loadOperations` yields it (the file without its `# title:`,
 * `# description:`, `# variables:` header lines, trimmed; `operationId` in gateway/src/operations.ts).
 * That is the hash Apollo clients send in `extensions.persistedQuery.sha256Hash`: the gateway
 * serves the document by id and, in safelist mode, refuses any document not in this list.
 */
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { repoRoot } from '@kopdes/kit';
import { loadOperations } from '../../gateway/src/operations';

export interface PersistedOperation {
  /** sha256 of `document`, lower-case hex. */
  id: string;
  /** File name without `.graphql`: how the check and the docs refer to it. */
  name: string;
  /** The GraphQL operation name inside the document (null if the document does not parse). */
  operationName: string | null;
  title: string;
  document: string;
}

function operationNameOf(document: string): string | null {
  try {
    const op = parse(document).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    return op && 'name' in op && op.name ? op.name.value : null;
  } catch {
    return null;
  }
}

/** Every registered operation (default: schema/operations/) with its persisted-operation id. */
export function operationsManifest(dir = path.join(repoRoot, 'schema/operations')): PersistedOperation[] {
  return loadOperations(dir).map((op) => ({
    id: op.id,
    name: op.name,
    operationName: operationNameOf(op.document),
    title: op.title,
    document: op.document,
  }));
}
