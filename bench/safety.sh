#!/usr/bin/env bash
# The safety check per letter, in a release build, beside its baseline in the same run
# (one Aho-Corasick pass of every lexicon term over the text): see
# crates/lysty-domain/examples/safety_timing.rs. Prints the figures; CI runs it for the record.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --locked -q -p lysty-domain --example safety_timing
