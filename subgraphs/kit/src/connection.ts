import { type ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';
import { badInput } from './errors';

// Shareable: value types every subgraph that pages may define alike (the kit's access record does).
@ObjectType({ description: 'Relay page information.' })
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Builds a Relay connection type (`XConnection` with `XEdge`) for a node class. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  @Directive('@shareable')
  class EdgeType {
    @Field(() => String) cursor!: string;
    @Field(() => node) node!: T;
  }
  @ObjectType(`${name}Connection`)
  @Directive('@shareable')
  class ConnectionClass {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'All matches of the filter, not only this page.' }) totalCount!: number;
  }
  return ConnectionClass;
}

export const MAX_PAGE_SIZE = 500;

/** Cursors are opaque: base64url of the last sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor)
    throw badInput(`"${cursor}" is not a cursor from this API; pass an endCursor from a previous page.`, { argument: 'after' });
  return key;
}

export function checkPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}; got ${first}. Page through larger sets with after: pageInfo.endCursor.`, {
      argument: 'first',
    });
  }
  return first;
}

/** Turns rows fetched with `take: first + 1` into a connection. */
export function toConnection<T>(rows: T[], first: number, totalCount: number, key: (row: T) => string, hasPrevious: boolean): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(key(node)), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** True when the current field's selection asks for `name` directly (e.g. totalCount). */
export function selectsField(info: { fieldNodes: readonly { selectionSet?: { selections: readonly unknown[] } }[] }, name: string): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some((s) => {
      const sel = s as { kind: string; name?: { value: string }; selectionSet?: { selections: readonly unknown[] } };
      if (sel.kind === 'Field') return sel.name?.value === name;
      return selectsField({ fieldNodes: [sel as never] }, name);
    }),
  );
}
