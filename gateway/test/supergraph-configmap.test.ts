import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSupergraph } from '../src/supergraph';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A ConfigMap volume as the kubelet lays it out: `supergraph.graphql -> ..data/supergraph.graphql`,
 * `..data -> ..<timestamp>`; an update writes a new timestamped folder and renames a new `..data`
 * link over the old one, so the file's own name never changes.
 */
function configMapVolume(content: string): { file: string; update(next: string): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kopdes-configmap-'));
  dirs.push(dir);
  let version = 0;
  const writeVersion = (text: string) => {
    const folder = `..2026_12_04_00_00_0${version++}`;
    mkdirSync(path.join(dir, folder));
    writeFileSync(path.join(dir, folder, 'supergraph.graphql'), text);
    return folder;
  };
  symlinkSync(writeVersion(content), path.join(dir, '..data'));
  symlinkSync('..data/supergraph.graphql', path.join(dir, 'supergraph.graphql'));
  return {
    file: path.join(dir, 'supergraph.graphql'),
    update(next) {
      const folder = writeVersion(next);
      symlinkSync(folder, path.join(dir, '..data_tmp'));
      renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
    },
  };
}

const SDL = (field: string) =>
  `enum join__Graph { REGIONS @join__graph(name: "regions", url: "http://regions:4101/graphql") }\ntype Query { ${field}: String }\n`;

describe('supergraph hot reload from a Kubernetes ConfigMap', () => {
  it('applies the new version when the kubelet swaps the ..data link', async () => {
    const volume = configMapVolume(SDL('a'));
    let resolveUpdate: (sdl: string) => void = () => {};
    const updated = new Promise<string>((resolve) => {
      resolveUpdate = resolve;
    });
    const supergraph = fileSupergraph(volume.file, { watchFile: true, overrides: {}, debounceMs: 10 });
    const initial = await supergraph.hook({
      update: (sdl: string) => resolveUpdate(sdl),
      healthCheck: async () => {},
      getDataSource: () => undefined as never,
    });
    expect(initial.supergraphSdl).toBe(SDL('a'));
    const before = supergraph.current()!.hash;
    volume.update(SDL('b'));
    expect(await updated).toBe(SDL('b'));
    expect(readFileSync(volume.file, 'utf8')).toBe(SDL('b'));
    expect(supergraph.current()!.hash).not.toBe(before);
    await initial.cleanup?.();
  });
});
