#!/usr/bin/env bash
# Every test of Dropdock: the Rust crates (core, sandbox, CLI, shell) and the GUI end-to-end tests
# that drive the real app under Xvfb through tauri-driver. Builds the UI and the app once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps --test
export PATH="$HOME/.cargo/bin:$PATH"

echo "== UI: install, lint, typecheck, build (the app embeds ui/dist)"
npm --prefix ui ci --no-audit --no-fund --loglevel=error
npm --prefix ui run lint --silent
npm --prefix ui run build --silent

echo "== Rust: formatting and lints (rustfmt, clippy with warnings as errors)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== Rust: every crate, with an unlocked keychain on a session bus"
tests/support/keyring-session.sh cargo test --workspace --locked

echo "== GUI end-to-end: the real app under Xvfb through tauri-driver + WebKitWebDriver"
cargo build -p dropdock -p dropdock-cli --locked
npm --prefix tests/e2e ci --no-audit --no-fund --loglevel=error
xvfb-run -a -s "-screen 0 1440x900x24" tests/support/keyring-session.sh npm --prefix tests/e2e test --silent
