#!/usr/bin/env bash
# Generates the TypeScript reader/builder code of TFLite's flatbuffer schema into
# model/tflite/third_party/tflite-schema/: `make tflite-schema`. Usage: tools/gen-tflite-schema.sh [OUT_DIR]
# (default: model/tflite/third_party/tflite-schema; the test suite writes elsewhere and compares). Needs flatc 2.0.8
# (Debian's flatbuffers-compiler, system-packages.txt target `schema`).
#
# schema.fbs is TFLite's, never committed here: it is read from $INT8COSIM_TFLITE_SCHEMA (a path) when that is set,
# otherwise from .cache/tflite-schema/<commit>/schema.fbs, downloaded there first from the pinned commit below
# ($INT8COSIM_TFLITE_SCHEMA_URL replaces the base https://raw.githubusercontent.com/tensorflow/tflite-micro; the
# URL is <base>/<commit>/<path>). Wherever it comes from its sha256 must be the pinned one: a wrong file is an error
# and is never used, and a download goes into the cache only once its hash matches.
#
# Besides flatc's code it writes option-fields.ts (tools/gen-tflite-option-fields.ts, from flatc --jsonschema) and
# SHA256SUMS, the sha256 of every file it writes (sha256sum's format), which the test suite holds the committed
# files against. Two fixes, both here and never by hand on the output:
#  1. flatc 2.0.8 does not parse an attribute on an enum value or a union member (`REDUCE_WINDOW = 205 (deprecated),`
#     and `ReduceWindowOptions (deprecated),`, added to the schema after 2.0.8); the attribute is dropped from a
#     temporary copy. That changes no value, index or wire format: the member is only no longer marked deprecated.
#  2. flatc writes extensionless relative imports (`from '../tflite/buffer'`); our ESM sources import with the .ts
#     extension (tsx, Node's ESM resolver, tsconfig allowImportingTsExtensions), so `.ts` is appended.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/model/tflite/third_party/tflite-schema}"

# The schema's provenance (also in the generated folder's README.md; licence Apache-2.0).
schema_repo=tensorflow/tflite-micro
schema_commit=90b983c2b3f1480642e040bbd2ddb37b998f3424
schema_path=tensorflow/compiler/mlir/lite/schema/schema.fbs
schema_sha256=3741d5b8e81686333055a0008d24527c879b2bb695e8763f3d203f3ff5914709
schema_base_url="${INT8COSIM_TFLITE_SCHEMA_URL:-https://raw.githubusercontent.com/$schema_repo}"
schema_cache="$root/.cache/tflite-schema/$schema_commit/schema.fbs"
expected_flatc="flatc version 2.0.8"

# check FILE WHAT: FILE's sha256 is the pinned one, or the script stops naming both hashes.
check() {
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  [[ "$actual" == "$schema_sha256" ]] && return 0
  echo "$1: sha256 $actual, expected $schema_sha256 ($schema_repo $schema_commit:$schema_path); $2" >&2
  exit 1
}

if [[ -n "${INT8COSIM_TFLITE_SCHEMA:-}" ]]; then
  schema="$INT8COSIM_TFLITE_SCHEMA"
  [[ -f "$schema" ]] || { echo "\$INT8COSIM_TFLITE_SCHEMA=$schema: no such file" >&2; exit 1; }
  check "$schema" "not used (\$INT8COSIM_TFLITE_SCHEMA)"
elif [[ -f "$schema_cache" ]]; then
  schema="$schema_cache"
  check "$schema" "not used: delete it to download it again"
else
  url="$schema_base_url/$schema_commit/$schema_path"
  echo "downloading $url" >&2
  mkdir -p "$(dirname "$schema_cache")"
  part="$schema_cache.$$.part"
  trap 'rm -f "$part"' EXIT
  curl -fsSL --retry 2 -o "$part" "$url" || { echo "download of $url failed" >&2; exit 1; }
  check "$part" "download of $url not used"
  mv "$part" "$schema_cache"
  schema="$schema_cache"
fi

command -v flatc >/dev/null || { echo "flatc is missing: bin/ensure-system-packages schema (Debian: flatbuffers-compiler)" >&2; exit 1; }
[[ "$(flatc --version)" == "$expected_flatc" ]] || { echo "expected $expected_flatc, got $(flatc --version): the committed code is flatc 2.0.8's" >&2; exit 1; }

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
(cd "$tmp/ts" && find . -type f -name '*.ts' | sed 's#^\./##' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)

mkdir -p "$out"
rm -rf "$out/tflite" "$out/schema_generated.ts" "$out/option-fields.ts" "$out/SHA256SUMS"
cp -r "$tmp/ts/tflite" "$tmp/ts/schema_generated.ts" "$tmp/ts/option-fields.ts" "$tmp/ts/SHA256SUMS" "$out/"
echo "wrote $(find "$out/tflite" -name '*.ts' | wc -l) files into $out/tflite, $out/schema_generated.ts, $out/option-fields.ts and $out/SHA256SUMS" >&2
