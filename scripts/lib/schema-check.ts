/**
 * The schema check as pure functions (SDL in, report out), so tests can feed modified
 * subgraph SDLs: composition errors with the subgraphs, coordinate and a hint; every change
 * of the API schema against the committed supergraph, classified; and every registered
 * client operation validated against the new API schema. A breaking change fails the check
 * only when a registered operation uses the changed coordinate.
 */
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { unsizedLists, type UnsizedList } from './list-sizes';

export interface SubgraphSdl {
  name: string;
  sdl: string;
  url?: string;
}

/** A registered client operation (`schema/operations/<name>.graphql`). */
export interface OperationSource {
  name: string;
  title?: string;
  document: string;
}

export interface CompositionIssue {
  code: string;
  message: string;
  /** Subgraphs the error names (both sides of a conflict). */
  subgraphs: string[];
  /** The type or field the error is about, e.g. "Cooperative.members". */
  coordinate?: string;
  hint: string;
}

/** breaking-for-known-clients fails the check; safe-for-known-clients is breaking for some client, but none registered uses it. */
export type ChangeClass = 'breaking' | 'safe-for-known-clients' | 'dangerous' | 'safe';

export interface SchemaChange {
  class: ChangeClass;
  type: string;
  coordinate: string;
  message: string;
  reason?: string;
  subgraphs: string[];
  /** Registered operations that use the changed part. */
  operations: string[];
}

export interface OperationResult {
  name: string;
  title?: string;
  /** False when composition failed: there was no new schema to validate against. */
  checked: boolean;
  valid: boolean;
  /** Why it no longer validates against the new API schema. */
  errors: string[];
  /** Breaking changes that touch it (coordinates). */
  brokenBy: string[];
}

export interface SchemaCheckReport {
  ok: boolean;
  /** Supergraph SDL when composition succeeded. */
  supergraphSdl?: string;
  composition: CompositionIssue[];
  /** False when there was no committed supergraph to compare with. */
  compared: boolean;
  changes: SchemaChange[];
  operations: OperationResult[];
  /** List fields that declare no size (`@listSize`): the gateway could not cost them. */
  unsizedLists: UnsizedList[];
  summary: { compositionErrors: number; breaking: number; safeForKnownClients: number; dangerous: number; safe: number; brokenOperations: string[] };
}

export interface SchemaCheckInput {
  /** Every subgraph as its code prints it now. */
  subgraphs: SubgraphSdl[];
  /** The committed supergraph to compare with (absent: first composition). */
  previousSupergraphSdl?: string;
  /** The committed subgraph SDLs: they say which subgraph owned a removed field. */
  previousSubgraphs?: SubgraphSdl[];
  operations: OperationSource[];
}

// ---------------------------------------------------------------------------------------
// Composition

const COMPOSITION_HINTS: Record<string, string> = {
  FIELD_TYPE_MISMATCH:
    "Give the field the same type in every subgraph that defines it, or keep your field under your ministry's own namespace (e.g. Cooperative.energy) so it does not collide.",
  FIELD_ARGUMENT_TYPE_MISMATCH: 'Give the argument the same type in every subgraph that defines the field.',
  INVALID_FIELD_SHARING:
    "Only one subgraph should resolve a field: move yours under your ministry's namespace object, or, if both really resolve the same value, mark it @shareable in each subgraph.",
  TYPE_KIND_MISMATCH: "A type name means one kind (object, input, enum, ...) in every subgraph: rename one of them (prefix it with your ministry's name).",
  ENUM_VALUE_MISMATCH: 'An enum used as input and output must have the same values in every subgraph that defines it.',
  EMPTY_MERGED_ENUM_TYPE: 'The subgraphs share no value of this enum: align the values or rename one enum.',
  EMPTY_MERGED_INPUT_TYPE: 'Input types merge by intersection: the subgraphs share no field of this input type; rename one of them.',
  REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH: 'A required input field must exist in every subgraph that defines the input type; add it or make it optional.',
  REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH: 'A required argument must exist in every subgraph that defines the field; add it or make it optional.',
  EXTERNAL_MISSING_ON_BASE: 'A field marked @external must be defined (and resolved) by another subgraph; check its name and the owning subgraph.',
  EXTERNAL_TYPE_MISMATCH: 'An @external field must have the type its owning subgraph gives it.',
  KEY_FIELDS_SELECT_INVALID_TYPE: '@key fields must be scalar or object fields that exist in this subgraph.',
  KEY_INVALID_FIELDS: 'The @key selects a field this subgraph does not define; declare it (usually `id: ID!` or `code: ID!`).',
  INTERFACE_KEY_NOT_ON_IMPLEMENTATIONS: 'Every implementation of an entity interface must carry its @key.',
  SATISFIABILITY_ERROR:
    'Some query cannot be planned across the subgraphs: usually an entity without a @key that the other subgraph can resolve, or a field reachable only through a non-resolvable stub.',
  INVALID_GRAPHQL: "The subgraph's SDL is not valid GraphQL; run its own tests (`npx vitest run subgraphs/<name>`).",
  ROOT_QUERY_USED: 'Root types are named Query and Mutation in every subgraph.',
  DEFAULT_VALUE_USES_INACCESSIBLE: 'A default value refers to an @inaccessible element.',
  NO_QUERIES: 'The supergraph needs at least one Query field.',
};

function hintFor(code: string): string {
  return COMPOSITION_HINTS[code] ?? `See the Apollo Federation composition error reference for ${code}.`;
}

const QUOTED = /"([^"]+)"/g;
const IDENT_COORD = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?(\([A-Za-z_]\w*:\))?$/;

/**
 * Which subgraphs an error message names: `[name] ...`, `subgraph "name"`, `subgraphs "a" and "b"`,
 * `... but not in "b"`. Types and fields are quoted as "Type" / "Type.field", never lower-case alone.
 */
export function subgraphsNamed(message: string, names: string[]): string[] {
  return names.filter((name) => message.includes(`[${name}]`) || message.includes(`"${name}"`));
}

function coordinateNamed(message: string, subgraphNames: string[], typeNames: Set<string>): string | undefined {
  const quoted = [...message.matchAll(QUOTED)].map((m) => m[1]!).filter((q) => IDENT_COORD.test(q) && !subgraphNames.includes(q));
  return quoted.find((q) => q.includes('.')) ?? quoted.find((q) => typeNames.has(q));
}

function definedTypeNames(subgraphs: SubgraphSdl[]): Set<string> {
  const names = new Set<string>();
  for (const s of subgraphs) {
    try {
      for (const def of parse(s.sdl).definitions) if ('name' in def && def.name && def.kind !== Kind.DIRECTIVE_DEFINITION) names.add(def.name.value);
    } catch {
      // invalid SDL is reported by composition itself
    }
  }
  return names;
}

/** Composes the subgraphs; errors say which subgraphs, which coordinate, and what to do. */
export function compose(subgraphs: SubgraphSdl[]): { supergraphSdl?: string; issues: CompositionIssue[] } {
  const names = subgraphs.map((s) => s.name);
  const parsed: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  const issues: CompositionIssue[] = [];
  for (const s of subgraphs) {
    try {
      parsed.push({ name: s.name, url: s.url ?? `http://${s.name}.invalid/graphql`, typeDefs: parse(s.sdl) });
    } catch (error) {
      issues.push({ code: 'INVALID_GRAPHQL', message: `[${s.name}] ${(error as Error).message}`, subgraphs: [s.name], hint: hintFor('INVALID_GRAPHQL') });
    }
  }
  if (issues.length > 0) return { issues };
  const result = composeServices(parsed);
  if (!result.errors) return { supergraphSdl: result.supergraphSdl, issues: [] };
  const types = definedTypeNames(subgraphs);
  for (const error of result.errors) {
    const code = String(error.extensions?.code ?? 'COMPOSITION_ERROR');
    const named = subgraphsNamed(error.message, names);
    issues.push({ code, message: error.message, subgraphs: named, coordinate: coordinateNamed(error.message, names, types), hint: hintFor(code) });
  }
  return { issues };
}

/** The schema clients see: the supergraph without federation's join/link machinery. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

// ---------------------------------------------------------------------------------------
// Which subgraph defines a coordinate

/** Coordinate ("Type", "Type.field", "Type.field.arg", "Enum.VALUE", "Input.field") → subgraphs defining it. */
export function coordinateIndex(subgraphs: SubgraphSdl[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  const add = (coordinate: string, subgraph: string) => {
    let set = index.get(coordinate);
    if (!set) index.set(coordinate, (set = new Set()));
    set.add(subgraph);
  };
  for (const s of subgraphs) {
    let doc: DocumentNode;
    try {
      doc = parse(s.sdl);
    } catch {
      continue;
    }
    for (const def of doc.definitions) {
      if (!('name' in def) || !def.name || def.kind === Kind.DIRECTIVE_DEFINITION) continue;
      const type = def.name.value;
      add(type, s.name);
      if ('fields' in def && def.fields) {
        for (const field of def.fields) {
          // An @external field is another subgraph's, declared here only to be required.
          if (field.directives?.some((d) => d.name.value === 'external')) continue;
          add(`${type}.${field.name.value}`, s.name);
          if ('arguments' in field && field.arguments) for (const arg of field.arguments) add(`${type}.${field.name.value}.${arg.name.value}`, s.name);
        }
      }
      if ('values' in def && def.values) for (const value of def.values) add(`${type}.${value.name.value}`, s.name);
    }
  }
  return index;
}

function subgraphsFor(coordinate: string, index: Map<string, Set<string>>): string[] {
  const parts = coordinate.split('.');
  for (let n = parts.length; n > 0; n--) {
    const hit = index.get(parts.slice(0, n).join('.'));
    if (hit) return [...hit].sort();
  }
  return [];
}

// ---------------------------------------------------------------------------------------
// What an operation uses

/** Everything reachable from an input type a variable declares: any field or value could be sent. */
function addInputTypeUsage(type: GraphQLInputType, used: Set<string>, seen = new Set<string>()): void {
  const named = getNamedType(type);
  if (seen.has(named.name)) return;
  seen.add(named.name);
  used.add(named.name);
  if (isEnumType(named)) for (const v of named.getValues()) used.add(`${named.name}.${v.name}`);
  if (isInputObjectType(named)) {
    for (const field of Object.values(named.getFields())) {
      used.add(`${named.name}.${field.name}`);
      addInputTypeUsage(field.type, used, seen);
    }
  }
}

/**
 * The schema coordinates an operation uses, walked with TypeInfo against the schema it was
 * written for: types, fields, arguments it passes, input fields and enum values it sends,
 * directives. Variables of input types count every field and value they could carry.
 */
export function operationUsage(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const named = (t: GraphQLNamedType | null | undefined) => t && used.add(t.name);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        used.add(parent.name);
        used.add(`${parent.name}.${field.name}`);
        named(getNamedType(field.type));
      },
      Argument(node) {
        const directive = typeInfo.getDirective();
        if (directive) {
          used.add(`@${directive.name}.${node.name.value}`);
          return;
        }
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) used.add(`${parent.name}.${field.name}.${node.name.value}`);
        const arg = typeInfo.getArgument();
        if (arg) named(getNamedType(arg.type));
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const input = parent ? getNamedType(parent) : undefined;
        if (input && isInputObjectType(input)) {
          used.add(input.name);
          used.add(`${input.name}.${node.name.value}`);
        }
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        const enumType = type ? getNamedType(type) : undefined;
        if (enumType) used.add(`${enumType.name}.${node.value}`);
      },
      VariableDefinition() {
        const type = typeInfo.getInputType();
        if (type) addInputTypeUsage(type, used);
      },
      InlineFragment() {
        named(typeInfo.getType() ? getNamedType(typeInfo.getType()!) : undefined);
      },
      FragmentDefinition() {
        named(typeInfo.getType() ? getNamedType(typeInfo.getType()!) : undefined);
      },
      Directive(node) {
        used.add(`@${node.name.value}`);
      },
    }),
  );
  return used;
}

/** The coordinates an operation must use for a change to affect it. */
function impactCoordinates(change: Change): string[] {
  const path = change.path ?? '';
  const meta = change.meta as Record<string, unknown>;
  const parent = path.split('.').slice(0, -1).join('.');
  switch (change.type) {
    case 'FIELD_ARGUMENT_ADDED':
      // A new required argument breaks every use of the field.
      return [parent];
    case 'FIELD_ARGUMENT_TYPE_CHANGED':
      return String(meta.newArgumentType ?? '').endsWith('!') ? [path, parent] : [path];
    case 'INPUT_FIELD_ADDED':
      return [parent];
    case 'INPUT_FIELD_TYPE_CHANGED':
      return String(meta.newInputFieldType ?? '').endsWith('!') ? [path, parent] : [path];
    case 'DIRECTIVE_REMOVED':
      return [`@${String(meta.removedDirectiveName ?? path.replace(/^@/, ''))}`];
    default:
      return [path];
  }
}

// ---------------------------------------------------------------------------------------
// The check

const CLASS_ORDER: ChangeClass[] = ['breaking', 'dangerous', 'safe-for-known-clients', 'safe'];

interface PreparedOperation {
  source: OperationSource;
  document?: DocumentNode;
  problems: string[];
}

function prepare(op: OperationSource): PreparedOperation {
  let document: DocumentNode;
  try {
    document = parse(op.document);
  } catch (error) {
    return { source: op, problems: [`does not parse: ${(error as Error).message}`] };
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const problems: string[] = [];
  if (operations.length !== 1) problems.push(`holds ${operations.length} operations; a registered operation file holds exactly one.`);
  else if (!operations[0]!.name)
    problems.push('its operation has no name; name it (e.g. `query CooperativeProfile(...)`) so logs and metrics can tell it apart.');
  return { source: op, document, problems };
}

export async function checkSchema(input: SchemaCheckInput): Promise<SchemaCheckReport> {
  const composed = compose(input.subgraphs);
  const ops = input.operations.map(prepare);
  const changes: SchemaChange[] = [];
  const results = new Map<string, OperationResult>(
    ops.map((o) => [
      o.source.name,
      {
        name: o.source.name,
        title: o.source.title,
        checked: composed.supergraphSdl !== undefined,
        valid: o.problems.length === 0,
        errors: [...o.problems],
        brokenBy: [],
      },
    ]),
  );
  let compared = false;

  if (composed.supergraphSdl) {
    const next = apiSchemaOf(composed.supergraphSdl);
    for (const op of ops) {
      if (!op.document) continue;
      const errors = validate(next, op.document);
      if (errors.length > 0) {
        const result = results.get(op.source.name)!;
        result.valid = false;
        result.errors.push(...errors.map((e) => e.message));
      }
    }
    if (input.previousSupergraphSdl) {
      compared = true;
      const previous = apiSchemaOf(input.previousSupergraphSdl);
      const usage = new Map(ops.filter((o) => o.document).map((o) => [o.source.name, operationUsage(previous, o.document!)]));
      const index = coordinateIndex([...(input.previousSubgraphs ?? []), ...input.subgraphs]);
      for (const change of await diff(previous, next)) {
        const coordinate = change.path ?? '';
        const impact = impactCoordinates(change);
        const users = [...usage]
          .filter(([, used]) => impact.some((c) => used.has(c)))
          .map(([name]) => name)
          .sort();
        let cls: ChangeClass;
        if (change.criticality.level === CriticalityLevel.Breaking) cls = users.length > 0 ? 'breaking' : 'safe-for-known-clients';
        else cls = change.criticality.level === CriticalityLevel.Dangerous ? 'dangerous' : 'safe';
        changes.push({
          class: cls,
          type: change.type,
          coordinate,
          message: change.message,
          reason: change.criticality.reason,
          subgraphs: subgraphsFor(coordinate, index),
          operations: users,
        });
        if (cls === 'breaking') {
          for (const user of users) {
            const result = results.get(user)!;
            result.valid = false;
            result.brokenBy.push(coordinate);
          }
        }
      }
      changes.sort((a, b) => CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class) || a.coordinate.localeCompare(b.coordinate));
    }
  }

  const operations = [...results.values()];
  const unsized = unsizedLists(input.subgraphs);
  const brokenOperations = operations.filter((o) => !o.valid).map((o) => o.name);
  const count = (cls: ChangeClass) => changes.filter((c) => c.class === cls).length;
  const summary = {
    compositionErrors: composed.issues.length,
    breaking: count('breaking'),
    safeForKnownClients: count('safe-for-known-clients'),
    dangerous: count('dangerous'),
    safe: count('safe'),
    brokenOperations,
  };
  return {
    ok: summary.compositionErrors === 0 && summary.breaking === 0 && brokenOperations.length === 0 && unsized.length === 0,
    supergraphSdl: composed.supergraphSdl,
    composition: composed.issues,
    compared,
    changes,
    operations,
    unsizedLists: unsized,
    summary,
  };
}

// ---------------------------------------------------------------------------------------
// The readable report

const LABEL: Record<ChangeClass, string> = {
  breaking: 'BREAKING',
  'safe-for-known-clients': 'breaking, safe for known clients',
  dangerous: 'dangerous',
  safe: 'safe',
};

/** The report a ministry team reads: grouped by subgraph, failures first, then what to do. */
export function formatReport(report: SchemaCheckReport, options: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  const groups = new Map<string, { composition: CompositionIssue[]; changes: SchemaChange[] }>();
  const group = (subgraphs: string[]) => {
    const key = subgraphs.length > 0 ? subgraphs.join(' + ') : '(whole supergraph)';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { composition: [], changes: [] }));
    return g;
  };
  for (const issue of report.composition) group(issue.subgraphs).composition.push(issue);
  for (const change of report.changes) group(change.subgraphs).changes.push(change);
  // Unless verbose, a new type is one line and description edits are a count.
  const added = new Set(report.changes.filter((c) => c.type === 'TYPE_ADDED' || c.type === 'FIELD_ADDED').map((c) => c.coordinate));
  const underAdded = (coordinate: string) => coordinate.split('.').some((_, i, parts) => i < parts.length - 1 && added.has(parts.slice(0, i + 1).join('.')));
  const membersOf = (parent: string) => report.changes.filter((c) => c.coordinate.startsWith(`${parent}.`) && !c.type.includes('DESCRIPTION')).length;

  out.push('Schema check');
  out.push('============');
  if (report.composition.length > 0) out.push(`Composition FAILED with ${report.composition.length} error(s).`);
  else out.push('Composition: ok.');
  if (!report.compared && report.composition.length === 0) out.push('No committed supergraph to compare with: every field is new.');
  else if (report.compared && report.changes.length === 0) out.push('No change to the API schema.');

  for (const [name, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    out.push('', `── ${name} ${'─'.repeat(Math.max(3, 70 - name.length))}`);
    for (const issue of g.composition) {
      out.push(`  ✗ composition ${issue.code}${issue.coordinate ? ` at ${issue.coordinate}` : ''}`);
      out.push(`      ${issue.message}`);
      out.push(`      hint: ${issue.hint}`);
    }
    let descriptions = 0;
    for (const change of g.changes) {
      if (change.class === 'safe' && !options.verbose) {
        if (change.type.includes('DESCRIPTION')) {
          descriptions++;
          continue;
        }
        if (underAdded(change.coordinate)) continue;
      }
      const mark = change.class === 'breaking' ? '✗' : change.class === 'dangerous' ? '!' : change.class === 'safe' ? '+' : '~';
      const members = added.has(change.coordinate) && !options.verbose ? membersOf(change.coordinate) : 0;
      const what = change.type === 'TYPE_ADDED' ? 'field(s)/value(s)' : 'argument(s)';
      out.push(`  ${mark} ${LABEL[change.class]}: ${change.message}${members > 0 ? ` (with ${members} ${what})` : ''}`);
      if (change.class === 'breaking') out.push(`      used by: ${change.operations.join(', ')}`);
      else if (change.class === 'safe-for-known-clients')
        out.push('      no registered operation uses it; unregistered clients may still break: deprecate first when in doubt.');
      else if (change.class === 'dangerous' && change.reason)
        out.push(`      ${change.reason}${change.operations.length > 0 ? ` (used by: ${change.operations.join(', ')})` : ''}`);
    }
    if (descriptions > 0) out.push(`  + safe: ${descriptions} description change(s) (--verbose lists them)`);
  }

  if (report.unsizedLists.length > 0) {
    out.push('', `List fields without a size (${report.unsizedLists.length}): the gateway's cost limit reads each list's size from its subgraph`);
    for (const list of report.unsizedLists) out.push(`  ✗ ${list.subgraph}: ${list.fix}`);
  }

  out.push('', `Registered operations (${report.operations.length})`);
  const failing = report.operations.filter((o) => !o.valid);
  const passing = report.operations.filter((o) => o.valid);
  for (const op of failing) {
    out.push(`  ✗ ${op.name}${op.title ? ` (${op.title})` : ''}`);
    for (const coordinate of op.brokenBy) out.push(`      broken by a change to ${coordinate}`);
    for (const error of op.errors) out.push(`      ${error}`);
  }
  if (report.composition.length > 0)
    out.push(`  not validated: composition failed, so there is no new schema to validate ${passing.length} operation(s) against.`);
  else if (options.verbose || passing.length <= 8) for (const op of passing) out.push(`  ✓ ${op.name}`);
  else if (passing.length > 0)
    out.push(`  ✓ ${failing.length > 0 ? 'the other ' : 'all '}${passing.length} validate against the new schema (--verbose lists them).`);

  const s = report.summary;
  out.push('');
  out.push(
    `Summary: ${s.compositionErrors} composition error(s), ${s.breaking} breaking for registered operations, ` +
      `${s.safeForKnownClients} breaking but safe for known clients, ${s.dangerous} dangerous, ${s.safe} safe.`,
  );
  if (report.ok) out.push('PASSED.');
  else {
    out.push(
      `FAILED${s.brokenOperations.length > 0 ? `: breaks ${s.brokenOperations.join(', ')}` : ''}${report.unsizedLists.length > 0 ? `${s.brokenOperations.length > 0 ? ';' : ':'} ${report.unsizedLists.length} list field(s) without @listSize` : ''}.`,
    );
    if (s.breaking > 0 || s.brokenOperations.length > 0) {
      out.push('To change a field a registered operation uses: add the new field, mark the old one deprecated');
      out.push('(@Field(..., { deprecationReason: "Use X instead." })), move the operation to the new field, and remove the old one later.');
    }
  }
  return out.join('\n');
}
