import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { forbidden } from './errors';
import { labelled, labelSlice } from './synthetic-label';
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

/** Kit types every subgraph publishes as they are: the disclosure-control shape of region aggregates. */
const KIT_PUBLIC_TYPES = new Set(['SuppressedFigure']);

export function fieldAccess(policy: EffectivePolicy, typeName: string, fieldName: string): Access {
  if (typeName === 'Mutation') return 'write';
  if (KIT_PUBLIC_TYPES.has(typeName)) return 'public';
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
 * them off the record. Slices' `source`/`synthetic` are labelled (synthetic-label.ts).
 *
 * Wraps the resolvers of the built schema once, at start-up, rather than as a type-graphql global
 * middleware: that ran two async middlewares on every field of every response, public or not, and
 * was the kit's largest cost per `_entities` request after the database (bench:floor). A field that
 * is public, no personal source and not labelled keeps its resolver as it is. `built` is the
 * type-graphql schema: fields the federation adds (`_entities`, `_service`) are left alone, as before.
 */
export function guardFields(schema: GraphQLSchema, built: GraphQLSchema, subgraph: string, policy: EffectivePolicy, sources: readonly string[]): void {
  for (const type of Object.values(built.getTypeMap())) {
    const target = schema.getType(type.name);
    if (!isObjectType(type) || type.name.startsWith('__') || !isObjectType(target)) continue;
    for (const fieldName of Object.keys(type.getFields())) {
      const field = target.getFields()[fieldName];
      if (!field) continue;
      const coordinate = `${type.name}.${fieldName}`;
      const access = fieldAccess(policy, type.name, fieldName);
      const source = sources.includes(coordinate);
      const label = labelled(fieldName);
      if (access === 'public' && !source && !label) continue;
      const resolve: GraphQLFieldResolver<unknown, SubgraphContext<unknown, unknown>> = field.resolve ?? defaultFieldResolver;
      field.resolve = (root, args, context: SubgraphContext<unknown, unknown>, info) => {
        // Rejected rather than thrown, as the async middleware did: the same errors, in the same order.
        if (access !== 'public' && !mayAccess(context.caller, access, subgraph)) return Promise.reject(denial(context.caller, access, coordinate, subgraph));
        const value: unknown = resolve(root, args, context, info);
        if (!source && !label) return value;
        return Promise.resolve(value).then((resolved) => {
          if (source && resolved != null && !context.personal.wentThrough(info.path)) {
            throw new Error(`${coordinate} was resolved without context.personal.read(): personal data is served only with its access record.`);
          }
          return label ? labelSlice(fieldName, resolved, context.db.synthetic) : resolved;
        });
      };
    }
  }
}
