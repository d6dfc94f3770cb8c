#!/bin/sh
# Seeds the fuzzers' corpora with the markdown of the test fixtures (the real Slate
# sources under tests/fixtures/corpus and the dialect fixture). Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../tests/fixtures"
for target in page site; do
    mkdir -p "$here/corpus/$target"
done
find "$fixtures/corpus" "$fixtures/dialect" -name '*.md' -type f | while read -r f; do
    name=$(echo "$f" | sed "s|$fixtures/||; s|/|_|g")
    cp "$f" "$here/corpus/page/$name"
    cp "$f" "$here/corpus/site/$name"
    chmod u+w "$here/corpus/page/$name" "$here/corpus/site/$name"
done
echo "seeded $(ls "$here/corpus/page" | wc -l) files per target"
