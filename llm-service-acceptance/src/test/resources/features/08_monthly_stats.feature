Feature: Monthly stats per agent and model equal the recorded invocations
  The operator's monthly report adds up exactly what was recorded, and the CSV and JSON exports
  of the command line say the same thing.

  Scenario: Three reviews on Claude Code and two test runs on Codex this month
    Given a stand-in "claude" command that prints the real output "claude-2.1.197-success.json"
    And a stand-in "codex" command that prints the real output "codex-0.169.0-success.jsonl"
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
        test-writer:
          team: quality
          tool: codex
          model: gpt-5-codex
      policies:
        telemetry: {store: h2, path: "${TELEMETRY_PATH}"}
      """
    When agent "code-reviewer" asks "Review this diff" 3 times
    And agent "test-writer" asks "Write a test for the parser" 2 times
    Then "claude" was run 3 times
    And "codex" was run 2 times
    And the monthly stats by agent are:
      | group         | requests | succeeded | attempts | input tokens | output tokens | cost      |
      | code-reviewer | 3        | 3         | 3        | 369          | 135           | 0.003132  |
      | test-writer   | 2        | 2         | 2        | 246          | 90            | 0.0012075 |
    And the monthly stats by model are:
      | group             | requests | attempts | input tokens | output tokens | cost      |
      | claude-sonnet-4-5 | 3        | 3        | 369          | 135           | 0.003132  |
      | gpt-5-codex       | 2        | 2        | 246          | 90            | 0.0012075 |
    And the command line's CSV and JSON monthly reports by agent both say:
      | group         | requests | succeeded | success rate | attempts | input tokens | output tokens | cost      |
      | code-reviewer | 3        | 3         | 1            | 3        | 369          | 135           | 0.003132  |
      | test-writer   | 2        | 2         | 1            | 2        | 246          | 90            | 0.0012075 |
    And the command line's CSV and JSON monthly reports by model both say:
      | group             | requests | input tokens | cost      |
      | claude-sonnet-4-5 | 3        | 369          | 0.003132  |
      | gpt-5-codex       | 2        | 246          | 0.0012075 |
