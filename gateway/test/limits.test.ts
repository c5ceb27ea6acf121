import '../src/telemetry'; // sets APOLLO_TELEMETRY_DISABLED=true before the ApolloGateway below is built
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import {
  getIntrospectionQuery,
  getNullableType,
  isListType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config';
import { operationCost } from '../src/cost';
import { costDirectivesOf, DEFAULT_LIST_SIZE } from '../src/cost-directives';
import { aliasLimitRule, depthLimitRule, LimitError, limitCode } from '../src/limits';
import { loadOperations } from '../src/operations';

// The checked-in supergraph: the API schema clients see.
const supergraphSdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
const { schema } = await new ApolloGateway({ supergraphSdl }).load();
const costs = costDirectivesOf(parse(supergraphSdl));
const limits = configFromEnv({}).limits;

function check(query: string, rules = [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)]) {
  return validate(schema, parse(query), [...specifiedRules, ...rules]).map((e) => ({ code: (e as LimitError).code ?? e.extensions?.code, message: e.message }));
}

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  return operationCost(schema, costs, document, document.definitions[0] as OperationDefinitionNode, variables, limits);
}

const COOPERATIVE =
  'id name kind stage members nib npwp businessUnits { type status } provenance { asOf source } financing { outstanding inArrears loans { id lender plafond status } }';

describe('depth', () => {
  it('counts nesting, through fragments, and refuses beyond MAX_DEPTH with QUERY_TOO_DEEP', () => {
    expect(check('{ provinces { regencies { districts { villages { cooperatives { financing { loans { disbursements { amount } } } } } } } } }')).toEqual([]);
    const deep =
      '{ cooperative(id: "x") { village { regency { province { regencies { districts { villages { cooperatives { village { district { regency { province { name } } } } } } } } } } } } }';
    const [error] = check(deep);
    expect(error).toEqual({
      code: 'QUERY_TOO_DEEP',
      message: expect.stringMatching(/^Query is 13 levels deep; the limit is 12 \(MAX_DEPTH\)\. Ask for fewer nested levels/),
    });
    const viaFragments =
      'query { cooperative(id: "x") { ...A } } fragment A on Cooperative { village { ...B } } fragment B on Village { regency { province { regencies { districts { villages { cooperatives { village { district { regency { province { name } } } } } } } } } } }';
    expect(check(viaFragments)[0]?.code).toBe('QUERY_TOO_DEEP');
  });

  it("lets GraphiQL's introspection query through, but not exponential introspection", () => {
    expect(check(getIntrospectionQuery())).toEqual([]);
    const [error] = check('{ __schema { types { fields { type { fields { type { name } } } } } } }');
    expect(error?.code).toBe('QUERY_TOO_DEEP');
    expect(error?.message).toMatch(/"fields" inside "fields"/);
  });

  it('survives fragment cycles (reported by the standard rule, not a stack overflow)', () => {
    const errors = check('{ cooperative(id: "x") { ...A } } fragment A on Cooperative { village { cooperatives { ...A } } }');
    expect(errors.some((e) => /Cannot spread fragment "A" within itself/.test(e.message))).toBe(true);
  });
});

describe('aliases', () => {
  it('refuses more than MAX_ALIASES aliased fields, counting fragments where they are spread', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `a${i}: provinces { code }`).join(' ');
    expect(check(`{ ${fifty} }`)).toEqual([]);
    const [error] = check(`{ ${fifty} extra: provinces { code } }`);
    expect(error).toEqual({ code: 'TOO_MANY_ALIASES', message: expect.stringMatching(/^Query uses 51 aliases; the limit is 50 \(MAX_ALIASES\)/) });
    const spread = `{ p1: province(code: "35") { ...F } p2: province(code: "36") { ...F } } fragment F on Province { ${Array.from({ length: 30 }, (_, i) => `n${i}: name`).join(' ')} }`;
    expect(check(spread)[0]?.code).toBe('TOO_MANY_ALIASES');
  });
});

describe('cost directives', () => {
  it('reads each list size the subgraphs declare (@listSize) from the supergraph, for every list of the API schema', () => {
    expect(costs.get('Regency.villages')).toEqual({ assumedSize: 400, slicingArguments: undefined, sizedFields: undefined, weight: undefined });
    expect(costs.get('Query.cooperatives')).toMatchObject({ slicingArguments: ['first'], sizedFields: ['edges'] });
    const sizedByParent = new Set([...costs.values()].flatMap((c) => c.sizedFields ?? []));
    const unsized = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
      .flatMap((t) =>
        Object.values((t as GraphQLObjectType).getFields())
          .filter((f) => isListType(getNullableType(f.type)) && !costs.has(`${t.name}.${f.name}`) && !sizedByParent.has(f.name))
          .map((f) => `${t.name}.${f.name}`),
      );
    expect(unsized).toEqual([]);
  });

  it("counts a field's @cost weight, and a list's assumedSize where no `first` slices it", () => {
    const declared = new Map(costs).set('Province.name', { weight: 5 }).set('Query.provinces', { assumedSize: 3 });
    const document = parse('{ provinces { code name } }');
    expect(operationCost(schema, declared, document, document.definitions[0] as OperationDefinitionNode, {}, limits).cost).toBe(1 + 3 * (1 + 5));
    // A list no subgraph sized (an older supergraph) counts DEFAULT_LIST_SIZE.
    const unsized = new Map(costs);
    unsized.delete('Query.provinces');
    expect(operationCost(schema, unsized, document, document.definitions[0] as OperationDefinitionNode, {}, limits).cost).toBe(1 + DEFAULT_LIST_SIZE * 2);
  });
});

describe('cost', () => {
  it('multiplies list sizes: @listSize assumed sizes, `first` literals and variables, connections through edges', () => {
    expect(cost('{ provinces { code name } }').cost).toBe(1 + 38 * 2);
    expect(cost('{ regency(code: "35.14") { villages { code } } }').cost).toBe(1 + 1 + 400);
    expect(cost('{ cooperatives(first: 100) { totalCount edges { node { id name } } } }').cost).toBe(1 + 1 + 1 + 100 * (1 + 2));
    expect(cost('query($n: Int!) { cooperatives(first: $n) { edges { node { id } } } }', { n: 7 })).toEqual({ cost: 1 + 1 + 7 * 2, usesVariables: true });
    // Defaults of `first` count when it is not given.
    expect(cost('{ cooperatives { edges { node { id } } } }').cost).toBe(1 + 1 + 50 * 2);
    expect(cost('{ financedCooperatives(regionCode: "35") { id } }').cost).toBe(1 + 1000);
    // __typename and introspection are free.
    expect(cost('{ __typename provinces { __typename code } }').cost).toBe(1 + 38);
  });

  it('lets a regency export and a 100-cooperative page through, refuses the whole country down to each cooperative', () => {
    const regency = cost(`{ regency(code: "35.14") { name villages { code name kind cooperatives { ${COOPERATIVE} } } } }`).cost;
    expect(regency).toBeGreaterThan(10_000);
    expect(regency).toBeLessThan(limits.maxCost / 2);
    expect(cost(`{ cooperatives(first: 100) { edges { node { ${COOPERATIVE} village { name } } } } }`).cost).toBeLessThan(limits.maxCost / 5);
    expect(cost(`{ provinces { regencies { villages { cooperatives { ${COOPERATIVE} } } } } }`).cost).toBeGreaterThan(limits.maxCost * 10);
  });

  it('refuses a page above MAX_PAGE_SIZE, from a literal or a variable', () => {
    expect(() => cost('{ cooperatives(first: 100000) { totalCount } }')).toThrow(LimitError);
    try {
      cost('query($n: Int!) { financedCooperatives(regionCode: "35", first: $n) { id } }', { n: 5001 });
      expect.unreachable();
    } catch (error) {
      expect((error as LimitError).code).toBe('PAGE_TOO_LARGE');
      expect((error as LimitError).message).toMatch(/^first: 5001 on Query\.financedCooperatives is above the largest page of 5000 \(MAX_PAGE_SIZE\)/);
    }
  });

  it('stays linear in document size when fragments spread fragments', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Province { ...F${i + 1} ...F${i + 1} }`).join('\n');
    const query = `{ provinces { ...F0 } } ${fragments} fragment F40 on Province { code }`;
    expect(cost(query).cost).toBeGreaterThan(2 ** 40); // counted, not walked 2^40 times
  });
});

describe('registered operations', () => {
  it('all pass the default limits with their example variables (else trim the operation or raise the limit)', () => {
    const operations = loadOperations(new URL('../../schema/operations', import.meta.url).pathname);
    for (const operation of operations) {
      const document = parse(operation.document);
      const errors = validate(schema, document, [...specifiedRules, depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)]);
      expect(
        errors.map((e) => e.message),
        operation.name,
      ).toEqual([]);
      const definition = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
      expect(operationCost(schema, costs, document, definition, operation.variables ?? {}, limits).cost, operation.name).toBeLessThanOrEqual(limits.maxCost);
    }
  });
});

describe('limitCode', () => {
  it('names the token limit', () => {
    expect(limitCode(undefined, 'Syntax Error: Document contains more than 10000 tokens. Parsing aborted.')).toEqual({
      code: 'TOO_MANY_TOKENS',
      message: expect.stringMatching(/^Query has more than 10000 tokens \(MAX_TOKENS\)/),
    });
  });
});
