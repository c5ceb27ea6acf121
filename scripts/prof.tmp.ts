import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { layerBreakdown } from './lib/cpu-profile';
const dir = process.argv[2]!;
for (const sub of readdirSync(dir)) {
  const files = readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) {
    const prof = JSON.parse(readFileSync(path.join(dir, sub, f), 'utf8')) as { endTime: number };
    const { busyMs, layers, topFrames } = layerBreakdown(path.join(dir, sub, f), { from: prof.endTime - Number(process.env.WIN ?? 12) * 1e6, to: prof.endTime });
    if (process.argv[3] && sub !== process.argv[3]) { console.log(sub, busyMs.toFixed(0)); continue; }
    console.log(`== ${sub} busy ${busyMs.toFixed(0)} ms`);
    for (const l of layers.slice(0, 12)) console.log(JSON.stringify(l));
    for (const [name, ms] of topFrames.slice(0, 40)) console.log(String(Math.round(ms)).padStart(6), name);
  }
}
