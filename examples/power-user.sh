#!/bin/sh
# Persona "AI power user": the llm-service command with a fallback chain.
#
#   ./mvnw -B -q package -DskipTests && examples/power-user.sh
#
# It writes two small stand-in programs whose answers are labelled "[stand-in ...]": a claude
# whose API answers "529 overloaded" (a retriable failure) and a codex that answers, both printing
# exactly the output format of the real tools. Nothing leaves the machine and nothing is spent,
# even when the real tools are installed. LLM_SERVICE_REAL_TOOLS=1 uses the real claude and codex
# on PATH instead (logged in, they spend money). It prints which it used.
set -eu

here=$(cd -P -- "$(dirname -- "$0")" && pwd)
jar=${LLM_SERVICE_JAR:-$here/../llm-service-cli/target/llm-service.jar}
if [ ! -f "$jar" ]; then
  echo "error: $jar not found" >&2
  echo "hint: build it first: ./mvnw -B -q package -DskipTests" >&2
  exit 2
fi
work=$(mktemp -d)
llm() { java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Duser.home="$work" -jar "$jar" "$@" --config "$work/llm-service.yaml"; }
# On exit: stop the telemetry store's daemon the calls started (it would idle for 5 minutes), then clean up.
trap 'if [ -f "$work/llm-service.yaml" ]; then llm daemon stop >/dev/null 2>&1 || true; fi; rm -rf -- "$work"' EXIT

case ${LLM_SERVICE_REAL_TOOLS:-0} in
  1|true) real=true; echo "tools: LLM_SERVICE_REAL_TOOLS=1, so the real claude and codex on PATH (they may spend money):" ;;
  0|false|'') real=false; echo "tools: stand-ins (nothing leaves this machine, nothing is spent); LLM_SERVICE_REAL_TOOLS=1 uses the real claude and codex on PATH:" ;;
  *) echo "error: LLM_SERVICE_REAL_TOOLS must be 1 (the real tools) or 0 (stand-ins), was '$LLM_SERVICE_REAL_TOOLS'" >&2; exit 2 ;;
esac
# real_tool NAME: the real NAME on PATH when asked for and installed, else empty (the stand-in is written).
real_tool() { if [ "$real" = true ]; then command -v "$1" || true; fi; }

mkdir -p "$work/bin"
claude=$(real_tool claude)
if [ -n "$claude" ]; then
  echo "  claude  real      $claude"
else
  claude=$work/bin/claude
  cat > "$claude" <<'SH'
#!/bin/sh
cat >/dev/null
printf '%s\n' '{"type":"result","subtype":"success","is_error":true,"api_error_status":529,"result":"API Error: 529 overloaded_error: Overloaded [stand-in claude]","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0}}'
exit 1
SH
  chmod +x "$claude"
  echo "  claude  stand-in  $claude (its API answers 529 overloaded)"
fi
codex=$(real_tool codex)
if [ -n "$codex" ]; then
  echo "  codex   real      $codex"
else
  codex=$work/bin/codex
  cat > "$codex" <<'SH'
#!/bin/sh
cat >/dev/null
printf '%s\n' '{"type":"thread.started","thread_id":"stand-in"}' '{"type":"turn.started"}' \
  '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"[stand-in codex] Two findings: the loop never ends when retries is 0; the log line prints the token."}}' \
  '{"type":"turn.completed","usage":{"input_tokens":1830,"cached_input_tokens":0,"output_tokens":64}}'
SH
  chmod +x "$codex"
  echo "  codex   stand-in  $codex"
fi
echo

cat > "$work/llm-service.yaml" <<YAML
tools:
  claude-code: {extends: claude-code, binary: "$claude"}
  codex: {extends: codex, binary: "$codex"}
agents:
  reviewer:
    tool: claude-code
    model: claude-sonnet-4-5
    fallbacks:
      - {tool: codex, model: gpt-5-codex}
policies:
  telemetry: {path: "$work/telemetry"}
YAML

echo '$ llm-service route --explain --agent reviewer "Review this diff"'
llm route --explain --agent reviewer "Review this diff"
echo
echo '$ printf ... | llm-service exec --agent reviewer -'
printf 'Review this diff:\n- while (retries >= 0) {\n+ while (retries > 0) {\n' | llm exec --agent reviewer -
echo
echo '$ llm-service exec --agent reviewer --json "Review the retry loop"   (attempts show the fallback)'
llm exec --agent reviewer --json "Review the retry loop"
echo
echo '$ llm-service stats --period day --by tool'
llm stats --period day --by tool
