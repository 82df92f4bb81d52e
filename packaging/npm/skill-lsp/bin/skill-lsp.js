#!/usr/bin/env node
// The `skill-lsp` command of the npm package: finds the binary in the
// platform package npm installed beside this one (an optional dependency
// chosen by its `os`, `cpu` and `libc` fields, as esbuild and biome do) and
// runs it with this process's arguments, standard streams and exit status.
"use strict";

const { spawnSync } = require("node:child_process");
const { platformPackage, binaryPath } = require("../lib/platform.js");

function main() {
  const pkg = platformPackage(process.platform, process.arch);
  let binary;
  try {
    binary = binaryPath(pkg, process.platform, require.resolve);
  } catch {
    process.stderr.write(
      `skill-lsp: no binary for ${process.platform}-${process.arch}: the package ${pkg} is not installed.\n` +
        "Reinstall without --no-optional / --omit=optional, or install skill-lsp another way (pip install skill-lsp).\n",
    );
    return 2;
  }
  // The server speaks LSP over stdio: the child shares this process's streams.
  const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
  if (result.error) {
    process.stderr.write(`skill-lsp: cannot run ${binary}: ${result.error.message}\n`);
    return 2;
  }
  if (result.signal) {
    process.kill(process.pid, result.signal);
    return 1;
  }
  return result.status ?? 1;
}

process.exitCode = main();
