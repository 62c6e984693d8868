Feature: An agent's preferred tool and model serve its request
  The operator names, for each agent, the tool and the model it should use. A request from that
  agent runs there, and the tokens and the cost it used are written to the telemetry file.

  Scenario: The code reviewer is served by Claude Code on Sonnet, and the call is recorded
    Given a stand-in "claude" command that prints the real output "claude-2.1.197-success.json"
    And the configuration:
      """
      tools:
        claude-code: {extends: claude-code, binary: "${CLAUDE_BIN}"}
      agents:
        code-reviewer:
          team: platform
          tool: claude-code
          model: claude-sonnet-4-5
      policies:
        telemetry: {store: h2, path: "${TELEMETRY_PATH}"}
      """
    When agent "code-reviewer" asks "Review this diff"
    Then the answer is "STUB-OK"
    And it was served by "claude-code" with model "claude-sonnet-4-5"
    And the usage is 123 input and 45 output tokens
    And the cost is $0.001044, as reported by the tool
    And "claude" was run 1 time
    And "claude" was last run with the arguments "-p --output-format json --model claude-sonnet-4-5 --strict-mcp-config --setting-sources user --no-session-persistence" and the prompt "Review this diff" on its standard input
    And the telemetry file records for this request:
      | attempt | agent         | team     | tool        | model             | outcome | exit code | input tokens | output tokens | cost     | cost source   |
      | 1       | code-reviewer | platform | claude-code | claude-sonnet-4-5 | success | 0         | 123          | 45            | 0.001044 | tool_reported |
