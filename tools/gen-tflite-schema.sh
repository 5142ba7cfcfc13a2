#!/usr/bin/env bash
# Generates the TypeScript reader/builder code of TFLite's flatbuffer schema into model/tflite/schema/ from the
# committed copy model/tflite/schema/schema.fbs (provenance in model/tflite/schema/README.md): `make tflite-schema`.
# Usage: tools/gen-tflite-schema.sh [OUT_DIR]   (default: model/tflite/schema; the test suite writes elsewhere and
# compares). Needs flatc 2.0.8 (Debian's flatbuffers-compiler, system-packages.txt target `schema`).
#
# Besides flatc's code it writes option-fields.ts (tools/gen-tflite-option-fields.ts, from flatc --jsonschema).
# Two fixes, both here and never by hand on the output:
#  1. flatc 2.0.8 does not parse an attribute on an enum value or a union member (`REDUCE_WINDOW = 205 (deprecated),`
#     and `ReduceWindowOptions (deprecated),`, added to the schema after 2.0.8); the attribute is dropped from a
#     temporary copy. That changes no value, index or wire format: the member is only no longer marked deprecated.
#  2. flatc writes extensionless relative imports (`from '../tflite/buffer'`); our ESM sources import with the .ts
#     extension (tsx, Node's ESM resolver, tsconfig allowImportingTsExtensions), so `.ts` is appended.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
schema="$root/model/tflite/schema/schema.fbs"
out="${1:-$root/model/tflite/schema}"
expected_sha=3741d5b8e81686333055a0008d24527c879b2bb695e8763f3d203f3ff5914709
expected_flatc="flatc version 2.0.8"

command -v flatc >/dev/null || { echo "flatc is missing: bin/ensure-system-packages schema (Debian: flatbuffers-compiler)" >&2; exit 1; }
[[ "$(flatc --version)" == "$expected_flatc" ]] || { echo "expected $expected_flatc, got $(flatc --version): the committed code is flatc 2.0.8's" >&2; exit 1; }
actual_sha="$(sha256sum "$schema" | cut -d' ' -f1)"
[[ "$actual_sha" == "$expected_sha" ]] || { echo "$schema: sha256 $actual_sha, expected $expected_sha (README.md provenance)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/fbs" "$tmp/ts"
sed -E 's/^([[:space:]]*[A-Za-z0-9_]+([[:space:]]*=[[:space:]]*[0-9]+)?)[[:space:]]*\(deprecated\)[[:space:]]*,/\1,/' "$schema" > "$tmp/fbs/schema.fbs"
flatc --ts -o "$tmp/ts" "$tmp/fbs/schema.fbs"
find "$tmp/ts" -name '*.ts' -exec sed -i -E "s#^((import|export) .* from '\.\.?/[^']+)';\$#\1.ts';#" {} +
# The fields of the builtin-options tables (names, kinds, enum types), which flatc's TypeScript does not carry at
# run time, from flatc's JSON-schema reading of the same file.
flatc --jsonschema -o "$tmp/json" "$tmp/fbs/schema.fbs"
node --import tsx "$root/tools/gen-tflite-option-fields.ts" "$tmp/json/schema.schema.json" "$tmp/ts/option-fields.ts"

mkdir -p "$out"
rm -rf "$out/tflite" "$out/schema_generated.ts" "$out/option-fields.ts"
cp -r "$tmp/ts/tflite" "$tmp/ts/schema_generated.ts" "$tmp/ts/option-fields.ts" "$out/"
echo "wrote $(find "$out/tflite" -name '*.ts' | wc -l) files into $out/tflite, $out/schema_generated.ts and $out/option-fields.ts" >&2
