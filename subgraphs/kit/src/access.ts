import type { MiddlewareFn } from 'type-graphql';
import { forbidden } from './errors';
import type { Caller, SubgraphContext } from './subgraph';

/**
 * Who may read or write what, checked in every subgraph (not only at the gateway):
 * - public: region data and region aggregates;
 * - analyst: every read except personal data (analysts, officers, admins);
 * - personal: fields marked `@Personal()` (personal.ts), only for the owning subgraph's officers and
 *   admins, and then only under a registered purpose of use (purposes.ts) and on the record;
 * - owner: the subgraph's personal-data access record, for its officers and admins;
 * - write: mutations, only for the owning subgraph's officers and admins.
 * An officer's `ministry` claim names the subgraph whose records they keep (e.g. "financing").
 */
export type Access = 'public' | 'analyst' | 'personal' | 'owner' | 'write';

export interface AccessPolicy {
  /** Access for fields not listed (default: analyst for reads, write for mutations). */
  default?: Access;
  /** Type names ("Province") or fields ("Query.provinces") open to everyone. */
  public?: string[];
}

/** The policy as the kit applies it: the subgraph's lists plus what the schema marks. */
export interface EffectivePolicy extends AccessPolicy {
  /** "Type.field" marked personal (filled once the schema is built). */
  personal: ReadonlySet<string>;
  /** Fields for the owning ministry only (the access record's queries). */
  owner: ReadonlySet<string>;
}

export function fieldAccess(policy: EffectivePolicy, typeName: string, fieldName: string): Access {
  if (typeName === 'Mutation') return 'write';
  const key = `${typeName}.${fieldName}`;
  if (policy.personal.has(key)) return 'personal';
  if (policy.owner.has(key)) return 'owner';
  if (policy.public?.includes(key)) return 'public';
  if (policy.public?.includes(typeName)) return 'public';
  return policy.default ?? 'analyst';
}

export function mayAccess(caller: Caller, access: Access, subgraph: string): boolean {
  switch (access) {
    case 'public':
      return true;
    case 'analyst':
      return caller.role !== 'public';
    case 'personal':
    case 'owner':
    case 'write':
      return caller.role === 'admin' || (caller.role === 'officer' && caller.ministry === subgraph);
  }
}

function denial(caller: Caller, access: Access, what: string, subgraph: string): Error {
  if (caller.role === 'public') return forbidden(`${what} needs a signed-in analyst, officer or admin; send a bearer token.`);
  if (access === 'personal') return forbidden(`${what} is personal data: only ${subgraph} officers and admins may read it.`);
  if (access === 'owner') return forbidden(`${what} is the ${subgraph} personal-data access record: only ${subgraph} officers and admins may read it.`);
  if (access === 'write') return forbidden(`${what} changes ${subgraph} records: only ${subgraph} officers and admins may do it.`);
  return forbidden(`${what} is not available to role ${caller.role}.`);
}

/** Throws FORBIDDEN unless the caller may use `access`. */
export function assertAccess(context: SubgraphContext<unknown, unknown>, access: Access, what: string, subgraph: string): void {
  if (!mayAccess(context.caller, access, subgraph)) throw denial(context.caller, access, what, subgraph);
}

/**
 * Checks every field against the policy; a denied field resolves to null with FORBIDDEN at its path.
 * A personal source's field (`sources`, e.g. "Cooperative.board") must have been read through
 * `context.personal.read`: a resolver that returns persons any other way fails instead of serving
 * them off the record.
 */
export function accessMiddleware(subgraph: string, policy: EffectivePolicy, sources: readonly string[]): MiddlewareFn<SubgraphContext<unknown, unknown>> {
  return async ({ info, context }, next) => {
    const coordinate = `${info.parentType.name}.${info.fieldName}`;
    const access = fieldAccess(policy, info.parentType.name, info.fieldName);
    if (access !== 'public') assertAccess(context, access, coordinate, subgraph);
    if (!sources.includes(coordinate)) return next();
    const value: unknown = await next();
    if (value != null && !context.personal.wentThrough(info.path)) {
      throw new Error(`${coordinate} was resolved without context.personal.read(): personal data is served only with its access record.`);
    }
    return value;
  };
}
