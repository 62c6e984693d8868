#!/bin/sh
# Persona "AI power user": the llm-service command with a fallback chain.
#
#   ./mvnw -B -q package -DskipTests && examples/power-user.sh
#
# Uses the real claude and codex when they are on PATH. Otherwise it writes two small stand-in
# programs whose answers are labelled "[stand-in ...]": a claude whose API answers
# "529 overloaded" (a retriable failure) and a codex that answers, both printing exactly the
# output format of the real tools. Nothing leaves the machine and nothing is spent.
set -eu

here=$(cd -P -- "$(dirname -- "$0")" && pwd)
jar=${LLM_SERVICE_JAR:-$here/../llm-service-cli/target/llm-service.jar}
if [ ! -f "$jar" ]; then
  echo "error: $jar not found" >&2
  echo "hint: build it first: ./mvnw -B -q package -DskipTests" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
llm() { java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Duser.home="$work" -jar "$jar" "$@" --config "$work/llm-service.yaml"; }

mkdir -p "$work/bin"
claude=$(command -v claude || true)
if [ -z "$claude" ]; then
  claude=$work/bin/claude
  cat > "$claude" <<'SH'
#!/bin/sh
cat >/dev/null
printf '%s\n' '{"type":"result","subtype":"success","is_error":true,"api_error_status":529,"result":"API Error: 529 overloaded_error: Overloaded [stand-in claude]","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0}}'
exit 1
SH
  chmod +x "$claude"
fi
codex=$(command -v codex || true)
if [ -z "$codex" ]; then
  codex=$work/bin/codex
  cat > "$codex" <<'SH'
#!/bin/sh
cat >/dev/null
printf '%s\n' '{"type":"thread.started","thread_id":"stand-in"}' '{"type":"turn.started"}' \
  '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"[stand-in codex] Two findings: the loop never ends when retries is 0; the log line prints the token."}}' \
  '{"type":"turn.completed","usage":{"input_tokens":1830,"cached_input_tokens":0,"output_tokens":64}}'
SH
  chmod +x "$codex"
fi

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
