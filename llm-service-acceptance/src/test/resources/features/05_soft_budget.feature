Feature: A soft budget lets calls run and warns once when it crosses warn_at
  A soft budget never refuses. When the day's committed spend first reaches its warn_at share of
  the limit, every listener gets one warning; later calls do not repeat it.

  Scenario: Two calls run; the first one crosses 30% of the limit and warns, the second does not warn again
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
        budgets:
          - name: platform-soft
            scope: {team: platform}
            period: daily
            limit: {usd: 0.01, type: soft}
            warn_at: 0.3
        telemetry: {store: h2, path: "${TELEMETRY_PATH}"}
      """
    When agent "code-reviewer" asks "Review this diff"
    Then the answer is "STUB-OK"
    When agent "code-reviewer" asks "Review this diff"
    Then the answer is "STUB-OK"
    And "claude" was run 2 times
    And the warnings received are:
      | budget 'platform-soft' (daily {today}) reached 30% of its soft limit of $0.01: committed $0.003849 (spent $0, reserved $0.003849) |
