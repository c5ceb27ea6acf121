import { buildSchema as buildSdlSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildFederatedSchema, Personal, personalCoordinatesOf, personalFieldsOf, printFederatedSchema, selectedPersonal, type AnySubgraph } from '@kopdes/kit';

@ObjectType()
@Personal()
class Holder {
  @Field(() => String) nik!: string;
  @Field(() => String) name!: string;
}

@ObjectType()
class Register {
  @Field(() => String) id!: string;
  @Field(() => String) @Personal() contactPhone!: string;
  @Field(() => [Holder]) @Personal() holders!: Holder[];
}

@Resolver()
class RegisterResolver {
  @Query(() => Register) register(): Register {
    return { id: '1', contactPhone: '0812', holders: [] };
  }
}

const definition = (personalData: AnySubgraph['personalData']): AnySubgraph => ({
  name: 'marks',
  owner: 'test',
  resolvers: [RegisterResolver],
  migrationsDir: '/nonexistent',
  personalData,
  createClient: () => ({ $disconnect: async () => {} }),
  createLoaders: () => ({}),
});
const source = (field: string, personType: string) => ({
  field,
  personType,
  entity: 'Register',
  load: async () => new Map(),
  dataSubject: (p: unknown) => String(p),
});

describe('@Personal() marks', () => {
  it('print as @tag(name: "personal") on the type or the field, and are read back as coordinates', async () => {
    const complete = definition([source('Register.contactPhone', 'Register'), source('Register.holders', 'Holder')]);
    const sdl = await printFederatedSchema(complete);
    expect(sdl).toMatch(/type Holder\s+@tag\(name: "personal"\)/);
    expect(sdl).toContain('contactPhone: String! @tag(name: "personal")');
    expect([...personalFieldsOf(await buildFederatedSchema(complete))].sort()).toEqual([
      'Holder.name',
      'Holder.nik',
      'Register.contactPhone',
      'Register.holders',
    ]);
  });

  it('stop a subgraph whose personal field no source reads (it would be served off the record)', async () => {
    await expect(buildFederatedSchema(definition([source('Register.contactPhone', 'Register')]))).rejects.toThrow(
      'marks: Holder.name, Holder.nik are marked @Personal() but no entry of personalData reads them; personal data is served only through a PersonalSource, on the access record.',
    );
    await expect(
      buildFederatedSchema(definition([source('Register.contactPhone', 'Register'), source('Register.holders', 'Holder'), source('Register.id', 'Holder')])),
    ).rejects.toThrow('marks: personalData reads Register.id, which the schema does not mark @Personal().');
  });

  it('find what an operation selects, through aliases and fragments', () => {
    const schema = buildSdlSchema(
      'directive @tag(name: String!) repeatable on OBJECT | FIELD_DEFINITION\ntype Query { people: [Person] count: Int }\ntype Person @tag(name: "personal") { nik: String name: String }',
    );
    const personal = personalCoordinatesOf(
      parse(
        'directive @tag(name: String!) repeatable on OBJECT | FIELD_DEFINITION\ntype Query { people: [Person] } type Person @tag(name: "personal") { nik: String name: String }',
      ),
    );
    expect([...personal].sort()).toEqual(['Person.name', 'Person.nik']);
    const document = parse('query { count a: people { n: nik } people { ...P } } fragment P on Person { name }');
    const [operation, fragment] = document.definitions as [OperationDefinitionNode, FragmentDefinitionNode];
    expect([...selectedPersonal(schema, operation, [fragment], personal)].sort()).toEqual(['Person.name', 'Person.nik']);
    expect(selectedPersonal(schema, parse('{ count }').definitions[0] as never, [], personal).size).toBe(0);
  });
});
