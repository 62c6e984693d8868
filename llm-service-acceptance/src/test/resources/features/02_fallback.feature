Feature: When the preferred tool is not installed, the fallback serves the request
  An agent can name fallbacks. When its preferred tool is missing on the machine, the next one
  serves the request, the plan says why the first was passed over, and every attempt is recorded.

  Background:
    Given a stand-in "codex" command that prints the real output "codex-0.169.0-success.jsonl"
    And the configuration:
      """
      tools:
        claude-code: {extends: claude-code, binary: "${CLAUDE_BIN}"}
        codex: {extends: codex, binary: "${CODEX_BIN}"}
      agents:
        code-reviewer:
          team: platform
          tool: claude-code
          model: claude-sonnet-4-5
          fallbacks: [{tool: codex, model: gpt-5-codex}]
      policies:
        telemetry: {store: h2, path: "${TELEMETRY_PATH}"}
      """

  Scenario: Claude Code is not installed, so Codex answers
    Given the "claude" command is not installed
    When agent "code-reviewer" asks "Review this diff"
    Then the plan chose "codex/gpt-5-codex" and excluded "claude-code/claude-sonnet-4-5" because "not installed: "
    And the answer is "STUB-OK"
    And it was served by "codex" with model "gpt-5-codex"
    And the cost is $0.00060375, computed from the price list
    And "codex" was last run with the arguments:
      | exec                                                                                                                                                                                                                   |
      | --json                                                                                                                                                                                                                 |
      | --skip-git-repo-check                                                                                                                                                                                                  |
      | -c                                                                                                                                                                                                                     |
      | model_provider=llm-service-openai                                                                                                                                                                                      |
      | -c                                                                                                                                                                                                                     |
      | model_providers.llm-service-openai={name="llm-service-openai",base_url="https://api.openai.com/v1",wire_api="responses",env_key="OPENAI_API_KEY",request_max_retries=0,stream_max_retries=0,stream_idle_timeout_ms=60000} |
      | -c                                                                                                                                                                                                                     |
      | features.unbounded_connection_retries=false                                                                                                                                                                            |
      | -c                                                                                                                                                                                                                     |
      | check_for_update_on_startup=false                                                                                                                                                                                      |
      | -c                                                                                                                                                                                                                     |
      | analytics.enabled=false                                                                                                                                                                                                |
      | --model                                                                                                                                                                                                                |
      | gpt-5-codex                                                                                                                                                                                                            |
      | --ephemeral                                                                                                                                                                                                            |
      | -                                                                                                                                                                                                                      |
    And "codex" was last given the prompt "Review this diff" on its standard input
    And the telemetry file records for this request:
      | attempt | tool  | model       | outcome | input tokens | output tokens | cost       | cost source |
      | 1       | codex | gpt-5-codex | success | 123          | 45            | 0.00060375 | computed    |

  Scenario: Claude Code is uninstalled after the request was routed; both attempts are recorded
    The binary was found when the request was routed; when the attempt starts it is gone, so the
    attempt ends "not installed" (LLM-030, retriable) and Codex takes over.
    Given a stand-in "claude" command that prints the real output "claude-2.1.197-success.json"
    When agent "code-reviewer" routes "Review this diff"
    And the "claude" command is uninstalled
    And the routed request runs
    Then the answer is "STUB-OK"
    And it was served by "codex" with model "gpt-5-codex"
    And the attempts were:
      | attempt | tool        | model             | outcome       |
      | 1       | claude-code | claude-sonnet-4-5 | not_installed |
      | 2       | codex       | gpt-5-codex       | success       |
    And the telemetry file records for this request:
      | attempt | tool        | model             | outcome | error code | input tokens | cost       |
      | 1       | claude-code | claude-sonnet-4-5 | not_installed | LLM-030    |              |            |
      | 2       | codex       | gpt-5-codex       | success |            | 123          | 0.00060375 |
