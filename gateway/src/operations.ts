import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A registered client operation: `schema/operations/<name>.graphql`, with `# title:` and `# description:` header comments. */
export interface RegisteredOperation {
  name: string;
  title: string;
  description?: string;
  document: string;
  variables?: Record<string, unknown>;
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
      return {
        name: file.replace(/\.graphql$/, ''),
        title: header('title') ?? file,
        description: header('description'),
        document: text.split('\n').filter((l) => !/^#\s*(title|description|variables):/.test(l)).join('\n').trim(),
        variables: variables ? (JSON.parse(variables) as Record<string, unknown>) : undefined,
      };
    });
}
