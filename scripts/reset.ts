/** Wipes the embedded databases; the next `npm start` seeds afresh. */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';

const dir = path.resolve(process.env.KOPDES_DATA_DIR ?? path.join(repoRoot, '.data'));
if (existsSync(dir)) {
  rmSync(dir, { recursive: true, force: true });
  console.log(`Removed ${dir}. The next \`npm start\` seeds the embedded databases again.`);
} else {
  console.log(`Nothing to remove: ${dir} does not exist.`);
}
