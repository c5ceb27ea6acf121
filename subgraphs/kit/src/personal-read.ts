import DataLoader from 'dataloader';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { recordRead } from './access-record';
import { log } from './log';
import { selectedPersonal } from './personal';
import { checkPurpose, type PurposeRegistry } from './purposes';
import type { Caller } from './subgraph';
import type { RawSql } from './writes';

/**
 * Where a subgraph keeps persons: the field that returns them (e.g. "Cooperative.board"), their
 * GraphQL type, the entity holding them, how to read them by entity id inside the access record's
 * transaction, and the reference that identifies each person as a data subject (their NIK).
 */
export interface PersonalSource<P = unknown> {
  field: string;
  personType: string;
  entity: string;
  load(tx: RawSql, ids: readonly string[]): Promise<Map<string, P[]>>;
  dataSubject(person: P): string;
}

/** What the database said (drivers behind Prisma keep it in meta), in one line. */
function databaseReason(error: unknown): string {
  const e = error as { message?: string; meta?: { driverAdapterError?: { cause?: { message?: string } } } };
  const said =
    e?.meta?.driverAdapterError?.cause?.message ??
    (e?.message ?? String(error))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1);
  return (said ?? 'unknown error').slice(0, 200);
}

function pathKey(path: GraphQLResolveInfo['path']): string {
  const parts: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = path; p; p = p.prev) parts.unshift(p.key);
  return parts.join('.');
}

/** Header the gateway sends: the personal fields the whole client request selects (all its subgraph fetches). */
export const PERSONAL_FIELDS_HEADER = 'x-kopdes-personal-fields';
/** Header a subgraph answers with when the request read personal data: the gateway never caches that answer. */
export const PERSONAL_DATA_HEADER = 'x-kopdes-personal-data';

export interface PersonalReadsOptions {
  subgraph: string;
  caller: Caller;
  requestId: string;
  /** Personal coordinates of this subgraph (from the @Personal marks). */
  personal: ReadonlySet<string>;
  /** What the gateway declared for the whole request (PERSONAL_FIELDS_HEADER). */
  declared: ReadonlySet<string>;
  purposes: PurposeRegistry;
  /** One short transaction on the subgraph's database. */
  transaction<T>(fn: (tx: RawSql) => Promise<T>): Promise<T>;
}

/**
 * Every personal read of one request goes through here: the purpose is checked, then the persons
 * are read and their access-record rows appended in one transaction (one per batch of entities).
 * If the record cannot be written, the read fails with ACCESS_RECORD_UNAVAILABLE: the personal
 * field is null, the rest of the answer arrives (fail closed).
 */
export class PersonalReads {
  /** True once a personal field was resolved: the answer must not be cached or shared. */
  touched = false;
  private readonly loaders = new Map<PersonalSource<never>, DataLoader<string, unknown[]>>();
  private readonly fieldsByType = new Map<string, string[]>();
  private readonly paths = new Set<string>();

  constructor(private readonly options: PersonalReadsOptions) {}

  get purposes(): PurposeRegistry {
    return this.options.purposes;
  }

  /** Whether the field at `path` was read through `read` (the kit refuses any other way). */
  wentThrough(path: GraphQLResolveInfo['path']): boolean {
    return this.paths.has(pathKey(path));
  }

  /** The persons `source` holds for one entity, recorded; call it from the personal field's resolver. */
  async read<P>(source: PersonalSource<P>, entityId: string, info: GraphQLResolveInfo): Promise<P[]> {
    this.touched = true;
    this.paths.add(pathKey(info.path));
    const fields = this.fieldsFor(source, info);
    const purpose = checkPurpose(this.options.purposes, this.options.caller, this.options.subgraph, source.field, fields);
    let loader = this.loaders.get(source as PersonalSource<never>);
    if (!loader) {
      loader = this.loader(source, fields, purpose.code);
      this.loaders.set(source as PersonalSource<never>, loader);
    }
    return loader.load(entityId) as Promise<P[]>;
  }

  /**
   * The fields recorded for every person of this type: all the personal fields the request selects
   * on the type and on the field holding them, here or (as the gateway declares) in any other fetch
   * of the same client request, so that one row per person and request says everything.
   */
  private fieldsFor(source: PersonalSource<unknown>, info: GraphQLResolveInfo): string[] {
    let fields = this.fieldsByType.get(source.field);
    if (!fields) {
      const selected = selectedPersonal(info.schema, info.operation, Object.values(info.fragments), this.options.personal);
      const ofSource = (coordinate: string) => coordinate === source.field || coordinate.startsWith(`${source.personType}.`);
      fields = [...new Set([...selected, ...this.options.declared, source.field])].filter((c) => ofSource(c) && this.options.personal.has(c)).sort();
      this.fieldsByType.set(source.field, fields);
    }
    return fields;
  }

  private loader<P>(source: PersonalSource<P>, fields: string[], purpose: string): DataLoader<string, unknown[]> {
    const { caller, requestId, transaction, subgraph } = this.options;
    return new DataLoader<string, unknown[]>(
      async (ids) => {
        try {
          return await transaction(async (tx) => {
            const held = await source.load(tx, ids);
            const persons = new Map<string, Set<string>>();
            for (const id of ids) {
              for (const person of held.get(id) ?? []) {
                const subject = source.dataSubject(person);
                persons.set(subject, (persons.get(subject) ?? new Set()).add(id));
              }
            }
            await recordRead(tx, { requestId, caller, purpose, entity: source.entity, fields, persons });
            return ids.map((id) => held.get(id) ?? []);
          });
        } catch (error) {
          const reason = databaseReason(error);
          log.error('personal-data access record not written; personal fields withheld', {
            subgraph,
            requestId,
            field: source.field,
            error: (error as Error)?.stack ?? reason,
          });
          const refusal = new GraphQLError(
            `${source.field} is withheld: the personal-data access record could not be written (${reason}), and personal data is served only with its record. The rest of the answer is unaffected; try again, and tell the ${subgraph} operators if it persists.`,
            { extensions: { code: 'ACCESS_RECORD_UNAVAILABLE' } },
          );
          return ids.map(() => refusal);
        }
      },
      { maxBatchSize: 5000 },
    );
  }
}
