/**
 * Mints a development bearer token signed with the generated .secrets/dev-jwt-secret.
 *
 *   npm run token -- <analyst|officer|admin> [ministry] [--purpose <code>] [--hours <N>] [--subject <name>]
 *
 * An officer names the subgraph they keep (`officer cooperatives`); reading personal data needs
 * `--purpose` with a registered purpose of use for that role (schema/purposes.json). Exit 2 with
 * a message on any mistake. Production tokens come from the identity provider (AUTH_JWKS_FILE/URL).
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { loadPurposes } from '@kopdes/kit';
import { devHs256Secret, maxTokenHours } from '../gateway/src/auth';
import { subgraphEntries } from './lib/registry';

const USAGE = `Usage: npm run token -- <analyst|officer|admin> [ministry] [--purpose <code>] [--hours <N>] [--subject <name>]
  npm run token -- analyst --hours 1
  npm run token -- officer cooperatives --purpose registry-board-verification
  npm run token -- admin --purpose data-protection-oversight`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { purpose: { type: 'string' }, hours: { type: 'string' }, subject: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    return fail((error as Error).message); // e.g. an unknown option, or --hours without a value
  }
}
const parsed = parse();
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (process.env.NODE_ENV === 'production') fail('Development tokens are refused in production; use the identity provider.');

const [role, ministry, ...extra] = positionals;
if (!role) fail('Say which role the token is for.');
if (!['analyst', 'officer', 'admin'].includes(role)) fail(`Unknown role "${role}": use analyst, officer or admin.`);
if (extra.length) fail(`Unexpected argument(s): ${extra.join(' ')}.`);
const subgraphs = subgraphEntries().map((e) => e.name);
if (role === 'officer') {
  if (!ministry) fail(`An officer token names the subgraph the officer keeps: one of ${subgraphs.join(', ')}.`);
  if (!subgraphs.includes(ministry)) fail(`Unknown ministry "${ministry}": use a subgraph name, one of ${subgraphs.join(', ')}.`);
} else if (ministry) {
  fail(`Only officers act for a ministry; an ${role} token takes no "${ministry}".`);
}

const maxHours = maxTokenHours();
const hours = values.hours === undefined ? Math.min(8, maxHours) : Number(values.hours);
if (!Number.isFinite(hours) || hours <= 0) fail(`--hours must be a positive number of hours (e.g. 1 or 0.5); got "${values.hours}".`);
if (hours > maxHours) fail(`--hours ${hours} is longer than the gateway accepts (AUTH_MAX_TOKEN_HOURS = ${maxHours}).`);

if (values.purpose !== undefined) {
  const registry = loadPurposes();
  const purpose = registry.purposes.get(values.purpose);
  const mine = [...registry.purposes.values()].filter((p) => p.readers.some((r) => r.role === role && (role !== 'officer' || r.ministry === ministry)));
  const list = mine.length
    ? `Yours: ${mine.map((p) => `${p.code} (${p.title})`).join('; ')}.`
    : `No purpose is registered for ${role}${ministry ? ` ${ministry}` : ''}.`;
  if (!purpose) fail(`"${values.purpose}" is not a registered purpose of use (${registry.file}). ${list}`);
  if (!mine.includes(purpose)) fail(`Purpose "${purpose.code}" is not agreed for ${role}${ministry ? ` ${ministry}` : ''}. ${list}`);
}

const subject = values.subject ?? `dev-${role}${ministry ? `-${ministry}` : ''}`;
const token = new SignJWT({ role, ...(ministry ? { ministry } : {}), ...(values.purpose ? { purpose: values.purpose } : {}) })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(subject)
  .setAudience(process.env.AUTH_AUDIENCE || 'kopdes-graph')
  .setIssuedAt()
  .setExpirationTime(Math.floor(Date.now() / 1000) + Math.floor(hours * 3600));
if (process.env.AUTH_ISSUER) token.setIssuer(process.env.AUTH_ISSUER);
console.log(await token.sign(devHs256Secret()));
