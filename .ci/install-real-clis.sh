#!/usr/bin/env bash
# Installs the real coding-agent CLIs from the npm registry for the end-to-end tests
# (RealCli*IT). Usage: .ci/install-real-clis.sh [DIR]   (default: target/real-cli)
# The versions are the ones verified in docs/tools/*.md; bump them together with those pages.
# Exits 0 without installing when npm is absent: the tests then skip and say why.
set -euo pipefail
DIR="${1:-${LLM_SERVICE_REAL_CLI_DIR:-target/real-cli}}"
CLAUDE_CODE_VERSION="${CLAUDE_CODE_VERSION:-2.1.332}"
CODEX_VERSION="${CODEX_VERSION:-0.171.0}"
GEMINI_CLI_VERSION="${GEMINI_CLI_VERSION:-0.61.0}"

if ! command -v npm >/dev/null 2>&1; then
  echo "install-real-clis: npm not found; the real-CLI end-to-end tests will be skipped" >&2
  exit 0
fi
mkdir -p "$DIR"
if [ -x "$DIR/node_modules/.bin/claude" ] && [ -x "$DIR/node_modules/.bin/codex" ] \
   && [ -x "$DIR/node_modules/.bin/gemini" ] && [ -f "$DIR/.versions" ] \
   && [ "$(cat "$DIR/.versions")" = "$CLAUDE_CODE_VERSION $CODEX_VERSION $GEMINI_CLI_VERSION" ]; then
  echo "install-real-clis: already installed in $DIR"
  exit 0
fi
# Keep npm's own traffic quiet: no audit, no funding notice, no update check.
NPM_CONFIG_UPDATE_NOTIFIER=false npm install --no-audit --no-fund --no-save --prefix "$DIR" \
  "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" \
  "@openai/codex@$CODEX_VERSION" \
  "@google/gemini-cli@$GEMINI_CLI_VERSION"
echo "$CLAUDE_CODE_VERSION $CODEX_VERSION $GEMINI_CLI_VERSION" > "$DIR/.versions"
echo "install-real-clis: installed in $DIR"
