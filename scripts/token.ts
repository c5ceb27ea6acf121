/**
 * Mints a development bearer token signed with the generated .secrets/dev-jwt-secret.
 * Usage: npm run token -- <analyst|officer|admin> [ministry] [--hours N]
 * Production tokens come from the identity provider configured by AUTH_JWKS_FILE/URL.
 */
import { SignJWT } from 'jose';
import { devHs256Secret } from '../gateway/src/auth';

const [role, ministry] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const hours = Number(process.argv[process.argv.indexOf('--hours') + 1] ?? 8) || 8;
if (!role || !['analyst', 'officer', 'admin'].includes(role) || (role === 'officer' && !ministry)) {
  console.error('Usage: npm run token -- <analyst|officer|admin> [ministry]   (an officer needs the subgraph it keeps, e.g. "financing")');
  process.exit(2);
}
if (process.env.NODE_ENV === 'production') {
  console.error('Development tokens are refused in production; use the identity provider.');
  process.exit(2);
}
const token = await new SignJWT({ role, ...(ministry ? { ministry } : {}) })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(`dev-${role}${ministry ? `-${ministry}` : ''}`)
  .setAudience(process.env.AUTH_AUDIENCE ?? 'kopdes-graph')
  .setIssuedAt()
  .setExpirationTime(`${hours}h`)
  .sign(devHs256Secret());
console.log(token);
