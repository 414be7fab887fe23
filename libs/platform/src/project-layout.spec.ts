import * as fs from 'fs';
import * as path from 'path';

/*
 * The monorepo's project lists follow its folders: every app and lib is a project of
 * nest-cli.json and an alias of tsconfig.json (pointing at its door), and no alias names a
 * lib that does not exist.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const dirs = (parent: string) =>
  fs
    .readdirSync(path.join(root, parent), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
const json = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

describe('project layout', () => {
  const apps = dirs('apps');
  const libs = dirs('libs');

  it('nest-cli.json lists every app and lib, each at its folder', () => {
    const projects = json('nest-cli.json').projects as Record<
      string,
      { type: string; root: string; sourceRoot: string }
    >;
    expect(Object.keys(projects).sort()).toEqual([...apps, ...libs].sort());
    for (const a of apps)
      expect(projects[a]).toMatchObject({
        type: 'application',
        root: `apps/${a}`,
        sourceRoot: `apps/${a}/src`,
      });
    for (const l of libs)
      expect(projects[l]).toMatchObject({ type: 'library', root: `libs/${l}`, sourceRoot: `libs/${l}/src` });
  });

  it('tsconfig.json has one @seqcast alias per lib, at its door, and none for a lib that is not there', () => {
    const paths = json('tsconfig.json').compilerOptions.paths as Record<string, string[]>;
    const libAliases = Object.keys(paths).filter((a) => a !== '@seqcast/migrations');
    expect(libAliases.sort()).toEqual(libs.map((l) => `@seqcast/${l}`));
    for (const l of libs) {
      expect(paths[`@seqcast/${l}`]).toEqual([`libs/${l}/src`]);
      expect(fs.existsSync(path.join(root, 'libs', l, 'src', 'index.ts'))).toBe(true);
    }
  });
});
