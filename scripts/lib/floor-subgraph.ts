/**
 * The floor for `npm run bench:floor`: the least a subgraph must do to answer the cooperatives
 * subgraph's `_entities` for Cooperative, written with nothing but graphql-js, `pg` and node:http.
 * Same table, same contract (`_Any` representations, `_Entity` union, analyst access, a caller
 * token signed by the gateway), same answer bytes for the same selection. No metrics, no access
 * record, no disclosure control, no document bounds: it measures what the kit costs on top of that.
 *
 * Run as its own process: PORT, DATABASE_URL (the cooperatives database), KOPDES_GATEWAY_PUBLIC_KEY.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, execute, parse, validate, type DocumentNode, type GraphQLScalarType, type GraphQLSchema } from 'graphql';
import { importSPKI, jwtVerify, type CryptoKey } from 'jose';
import pg from 'pg';

const SDL = `
  scalar _Any
  scalar DateTimeISO
  enum CooperativeKind { KDMP KKMP }
  enum FormationPath { NEW REVITALIZED DEVELOPED }
  enum LifecycleStage { MUSDESUS_HELD NOTARY_DEED AHU_DECREE NIK_KOPERASI NIB_ISSUED NPWP_ISSUED BANK_ACCOUNT SIMKOPDES OPERATING }
  type Cooperative {
    id: ID!
    name: String!
    kind: CooperativeKind!
    formation: FormationPath!
    stage: LifecycleStage!
    musdesusDate: DateTimeISO!
    ahuDecreeNumber: String
    ahuDecreeDate: DateTimeISO
    nikKoperasi: String
    nib: String
    npwp: String
    members: Int!
  }
  union _Entity = Cooperative
  type Query { _entities(representations: [_Any!]!): [_Entity]! }
`;

const COLUMNS =
  '"id", "name", "kind"::text, "formation"::text, "stage"::text, "musdesusDate", "ahuDecreeNumber", "ahuDecreeDate", "nikKoperasi", "nib", "npwp", "members"';

// `date` columns as UTC midnight, as Prisma reads them (pg's default is local midnight).
pg.types.setTypeParser(pg.types.builtins.DATE, (text) => new Date(`${text}T00:00:00.000Z`));

export function floorSchema(): GraphQLSchema {
  const schema = buildSchema(SDL);
  const date = schema.getType('DateTimeISO') as GraphQLScalarType;
  date.serialize = (value) => (value as Date).toISOString();
  const any = schema.getType('_Any') as GraphQLScalarType;
  any.parseValue = (value) => value;
  return schema;
}

interface Row {
  id: string;
}
interface Context {
  role: string;
  rows: Promise<Map<string, Row>> | undefined;
  ids: string[];
  pool: pg.Pool;
}

function rowsOf(context: Context): Promise<Map<string, Row>> {
  // Every representation of the request in one statement, issued once all of them are known.
  context.rows ??= Promise.resolve().then(async () => {
    const { rows } = await context.pool.query<Row>(`SELECT ${COLUMNS} FROM "Cooperative" WHERE "id" = ANY($1)`, [context.ids]);
    return new Map(rows.map((row) => [row.id, row]));
  });
  return context.rows;
}

const root = {
  _entities({ representations }: { representations: { __typename?: string; id?: unknown }[] }, context: Context) {
    return representations.map(async (rep) => {
      if (rep.__typename !== 'Cooperative') throw new Error(`No entity type ${String(rep.__typename)} in this subgraph.`);
      if (context.role === 'public') throw new Error('Cooperative needs a signed-in analyst, officer or admin; send a bearer token.');
      context.ids.push(String(rep.id));
      const row = (await rowsOf(context)).get(String(rep.id));
      return row ? { __typename: 'Cooperative', ...row } : null;
    });
  },
};

/** Verified caller tokens by token string, until they expire (the gateway reuses one for 30 s). */
const verified = new Map<string, { role: string; until: number }>();

async function roleOf(token: string | undefined, key: CryptoKey): Promise<string> {
  if (!token) throw new Error('missing caller token');
  const known = verified.get(token);
  if (known && known.until > Date.now()) return known.role;
  const { payload } = await jwtVerify(token, key, {
    issuer: 'kopdes-gateway',
    audience: 'kopdes-subgraphs',
    algorithms: ['EdDSA'],
    maxTokenAge: '5m',
    requiredClaims: ['exp'],
  });
  if (verified.size > 1000) verified.clear();
  verified.set(token, { role: String(payload.role), until: payload.exp! * 1000 });
  return String(payload.role);
}

export async function createFloorServer(options: { databaseUrl: string; publicKeyPem: string }): Promise<{ server: http.Server; pool: pg.Pool }> {
  const key = await importSPKI(options.publicKeyPem, 'EdDSA');
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
  const schema = floorSchema();
  const documents = new Map<string, DocumentNode>();
  const documentOf = (query: string) => {
    let document = documents.get(query);
    if (!document) {
      document = parse(query);
      const errors = validate(schema, document);
      if (errors.length) throw errors[0];
      documents.set(query, document);
    }
    return document;
  };
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = `${JSON.stringify(body)}\n`;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    if (req.url === '/health') return send(res, 200, { status: 'ok' });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      (async () => {
        let role: string;
        try {
          role = await roleOf(req.headers['x-kopdes-caller'] as string | undefined, key);
        } catch (error) {
          return send(res, 401, {
            errors: [{ message: `caller token not accepted (${(error as Error).message})`, extensions: { code: 'UNAUTHENTICATED' } }],
          });
        }
        const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          query: string;
          variables?: Record<string, unknown>;
          operationName?: string;
        };
        const context: Context = { role, rows: undefined, ids: [], pool };
        const result = await execute({
          schema,
          document: documentOf(query),
          rootValue: root,
          contextValue: context,
          variableValues: variables,
          operationName,
        });
        send(res, 200, result);
      })().catch((error: unknown) => send(res, 400, { errors: [{ message: (error as Error).message }] }));
    });
  });
  server.keepAliveTimeout = 65_000;
  return { server, pool };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { server, pool } = await createFloorServer({
    databaseUrl: process.env.DATABASE_URL!,
    publicKeyPem: process.env.KOPDES_GATEWAY_PUBLIC_KEY!,
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`floor listening on ${(server.address() as AddressInfo).port}`));
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void pool.end().then(() => process.exit(0));
  });
}
