// Which platform package holds the binary for this machine, and where in it.
// Kept apart from bin/skill-lsp.js so scripts/package.sh names the platform
// packages with the same function the launcher looks them up with.
"use strict";

/** The platform package's name: `@skill-lsp/cli-<os>-<cpu>` (Node's names). */
function platformPackage(platform, arch) {
  return `@skill-lsp/cli-${platform}-${arch}`;
}

/** The binary's path, through `resolve` (require.resolve); throws when the package is absent. */
function binaryPath(pkg, platform, resolve) {
  const name = platform === "win32" ? "skill-lsp.exe" : "skill-lsp";
  return resolve(`${pkg}/bin/${name}`);
}

module.exports = { platformPackage, binaryPath };
