import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { repoRoot } from './paths';
import type { Caller } from './subgraph';

/**
 * Purposes of use: the data-sharing agreements under which personal data may be read. A token
 * that reads a personal field carries a `purpose` claim naming one; the subgraph that owns the
 * field checks it here: registered, agreed for this reader (role and ministry), in force today,
 * and covering every personal field the request selects. A purpose never widens what a role may
 * read (access.ts decides that first); it narrows it to what an agreement allows.
 */
export interface PurposeReader {
  role: Caller['role'];
  /** For officers: the ministry (subgraph) they act for. */
  ministry?: string;
}

export interface Purpose {
  /** What a token's `purpose` claim says, e.g. "registry-board-verification". */
  code: string;
  title: string;
  /** The subgraph that owns the data this purpose covers. */
  subgraph: string;
  /** The lawful basis (UU 27/2022 Art. 20) and the regulation behind it. */
  legalBasis: string;
  /** The agreement or internal decision that records it. */
  agreement: string;
  readers: PurposeReader[];
  /** Personal fields ("Type.field") the purpose may read. */
  fields: string[];
  /** First and last day in force (YYYY-MM-DD, inclusive). */
  validFrom: string;
  validUntil: string;
}

export interface PurposeRegistry {
  file: string;
  purposes: Map<string, Purpose>;
}

export const defaultPurposesFile = () => process.env.KOPDES_PURPOSES_FILE ?? path.join(repoRoot, 'schema/purposes.json');

const CODE = /^[a-z0-9][a-z0-9-]{2,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ROLES = new Set(['public', 'analyst', 'officer', 'admin']);

/** Reads and checks the registry; any mistake stops start-up with a message naming the entry. */
export function loadPurposes(file = defaultPurposesFile()): PurposeRegistry {
  if (!existsSync(file))
    throw new Error(
      `No purposes-of-use registry at ${file}: personal data cannot be read without one. Set KOPDES_PURPOSES_FILE or restore schema/purposes.json.`,
    );
  let parsed: { purposes?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { purposes?: unknown };
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  return parsePurposes(parsed.purposes, file);
}

export function parsePurposes(list: unknown, file: string): PurposeRegistry {
  if (!Array.isArray(list)) throw new Error(`${file}: "purposes" must be a list of agreements.`);
  const purposes = new Map<string, Purpose>();
  for (const [index, raw] of list.entries()) {
    const p = raw as Purpose;
    const where = `${file}: purposes[${index}]${typeof p?.code === 'string' ? ` ("${p.code}")` : ''}`;
    const text = (key: keyof Purpose) => {
      if (typeof p?.[key] !== 'string' || !(p[key] as string).trim()) throw new Error(`${where} needs "${key}" (text).`);
    };
    for (const key of ['code', 'title', 'subgraph', 'legalBasis', 'agreement', 'validFrom', 'validUntil'] as const) text(key);
    if (!CODE.test(p.code)) throw new Error(`${where}: code must be 3-64 lower-case letters, digits or "-".`);
    if (purposes.has(p.code)) throw new Error(`${where}: code "${p.code}" is registered twice.`);
    for (const key of ['validFrom', 'validUntil'] as const) {
      if (!DAY.test(p[key]) || Number.isNaN(Date.parse(p[key]))) throw new Error(`${where}: ${key} "${p[key]}" is not a date; write YYYY-MM-DD.`);
    }
    if (p.validFrom > p.validUntil) throw new Error(`${where}: validFrom ${p.validFrom} is after validUntil ${p.validUntil}.`);
    if (!Array.isArray(p.readers) || p.readers.length === 0)
      throw new Error(`${where} needs "readers": who may use it, e.g. [{ "role": "officer", "ministry": "${p.subgraph}" }].`);
    for (const reader of p.readers) {
      if (!ROLES.has(reader?.role)) throw new Error(`${where}: reader role "${String(reader?.role)}" is not one of public, analyst, officer, admin.`);
      if (reader.role === 'officer' && typeof reader.ministry !== 'string')
        throw new Error(`${where}: an officer reader needs "ministry" (the subgraph they act for).`);
    }
    if (!Array.isArray(p.fields) || p.fields.length === 0 || !p.fields.every((f) => typeof f === 'string' && /^\w+\.\w+$/.test(f))) {
      throw new Error(`${where} needs "fields": the personal fields it covers, as "Type.field".`);
    }
    purposes.set(p.code, p);
  }
  return { file, purposes };
}

/**
 * Checks one subgraph's agreements against its schema at start-up: every field a purpose names
 * is personal in this subgraph, and every reader is one the access rules let read personal data.
 */
export function checkPurposesFor(registry: PurposeRegistry, subgraph: string, personal: ReadonlySet<string>): void {
  for (const p of registry.purposes.values()) {
    if (p.subgraph !== subgraph) continue;
    const unknown = p.fields.filter((f) => !personal.has(f));
    if (unknown.length) {
      throw new Error(
        `${registry.file}: purpose "${p.code}" names ${unknown.join(', ')}, not a personal field of the ${subgraph} subgraph (personal: ${[...personal].sort().join(', ') || 'none'}).`,
      );
    }
    const outsider = p.readers.find((r) => r.role !== 'admin' && !(r.role === 'officer' && r.ministry === subgraph));
    if (outsider) {
      throw new Error(
        `${registry.file}: purpose "${p.code}" lists ${describeReader(outsider)} as a reader, but only ${subgraph} officers and admins may read ${subgraph} personal data; a purpose cannot widen that.`,
      );
    }
  }
}

function describeReader(reader: PurposeReader): string {
  return reader.role === 'officer' ? `officers of ${reader.ministry}` : `the ${reader.role} role`;
}

const mayUse = (p: Purpose, caller: Caller) => p.readers.some((r) => r.role === caller.role && (r.role !== 'officer' || r.ministry === caller.ministry));

/** Today in Indonesia's westernmost zone (WIB, UTC+7): an agreement ends when its last day ends there. */
function today(now: Date): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

function refuse(reason: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', reason } });
}

/**
 * The caller's purpose, if it allows reading `fields` of `subgraph` now; else a FORBIDDEN error
 * (extensions.reason PURPOSE_MISSING, _UNKNOWN, _NOT_ALLOWED, _EXPIRED or _FIELDS) that names
 * the purpose and says how to get a suitable one.
 */
export function checkPurpose(registry: PurposeRegistry, caller: Caller, subgraph: string, what: string, fields: readonly string[], now = new Date()): Purpose {
  const usable = [...registry.purposes.values()].filter((p) => p.subgraph === subgraph && mayUse(p, caller)).map((p) => p.code);
  const howTo =
    `Ask your data protection officer which agreement covers your work and get a token whose "purpose" claim names it` +
    (usable.length
      ? ` (yours: ${usable.join(', ')}; in development: npm run token -- ${caller.role}${caller.ministry ? ` ${caller.ministry}` : ''} --purpose ${usable[0]})`
      : ' (none is registered for you yet)') +
    `. Registered purposes are in schema/purposes.json.`;
  if (!caller.purpose)
    return throwing(
      refuse(
        'PURPOSE_MISSING',
        `${what} is personal data: your token carries no "purpose" claim, and personal data is read only for a registered purpose of use. ${howTo}`,
      ),
    );
  const purpose = registry.purposes.get(caller.purpose);
  if (!purpose)
    return throwing(
      refuse('PURPOSE_UNKNOWN', `${what} is personal data: your token's purpose "${caller.purpose}" is not a registered purpose of use. ${howTo}`),
    );
  if (purpose.subgraph !== subgraph) {
    return throwing(
      refuse(
        'PURPOSE_NOT_ALLOWED',
        `${what} is personal data of the ${subgraph} subgraph: your token's purpose "${purpose.code}" covers ${purpose.subgraph} data only. ${howTo}`,
      ),
    );
  }
  if (!mayUse(purpose, caller)) {
    return throwing(
      refuse(
        'PURPOSE_NOT_ALLOWED',
        `${what} is personal data: purpose "${purpose.code}" is agreed for ${purpose.readers.map(describeReader).join(' and ')}, not for ${caller.role === 'officer' ? `officers of ${caller.ministry}` : `the ${caller.role} role`}. ${howTo}`,
      ),
    );
  }
  const day = today(now);
  if (day < purpose.validFrom || day > purpose.validUntil) {
    return throwing(
      refuse(
        'PURPOSE_EXPIRED',
        `${what} is personal data: purpose "${purpose.code}" is in force from ${purpose.validFrom} to ${purpose.validUntil}, not on ${day}. Renew the agreement or use another purpose. ${howTo}`,
      ),
    );
  }
  const outside = fields.filter((f) => !purpose.fields.includes(f));
  if (outside.length) {
    return throwing(
      refuse(
        'PURPOSE_FIELDS',
        `${what}: purpose "${purpose.code}" does not cover ${outside.join(', ')} (it covers ${purpose.fields.join(', ')}). Leave those fields out of the query, or use a purpose that covers them.`,
      ),
    );
  }
  return purpose;
}

function throwing(error: GraphQLError): never {
  throw error;
}
