import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A registered client operation: `schema/operations/<name>.graphql`, with `# title:` and `# description:` header comments. */
export interface RegisteredOperation {
  /** Persisted-operation id: `operationId(document)`. */
  id: string;
  name: string;
  title: string;
  description?: string;
  document: string;
  variables?: Record<string, unknown>;
}

/**
 * A document's persisted-operation id: sha256, lower-case hex, of the exact text. Apollo hashes
 * the same way, so it is the `extensions.persistedQuery.sha256Hash` clients send.
 */
export function operationId(document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('hex');
}

export function loadOperations(dir: string): RegisteredOperation[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const header = (key: string) => new RegExp(`^#\\s*${key}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
      const variables = header('variables');
      const document = text
        .split('\n')
        .filter((l) => !/^#\s*(title|description|variables):/.test(l))
        .join('\n')
        .trim();
      return {
        id: operationId(document),
        name: file.replace(/\.graphql$/, ''),
        title: header('title') ?? file,
        description: header('description'),
        document,
        variables: variables ? (JSON.parse(variables) as Record<string, unknown>) : undefined,
      };
    });
}
