Feature: A hard daily budget refuses a request before anything runs
  A hard budget never lets a day's spend go past its limit: a request that would not fit is
  refused before the tool starts, the refusal is recorded, and the command line exits with 3.

  Background:
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
          - name: platform-daily
            scope: {team: platform}
            period: daily
            limit: {usd: 0.004, type: hard}
        telemetry: {store: h2, path: "${TELEMETRY_PATH}"}
      """

  Scenario: The second review of the day does not fit in the platform team's budget
    When agent "code-reviewer" asks "Review this diff"
    Then the answer is "STUB-OK"
    When agent "code-reviewer" asks "Review this diff"
    Then the request is refused by budget "platform-daily" with limit $0.004 and spent $0.001044
    And the refusal says "budget 'platform-daily' (daily {today}) refused the request: limit $0.004, spent $0.001044, reserved $0, this request needs ~$0.003849"
    And "claude" was run 1 time
    And the telemetry file records for this request:
      | attempt | agent         | tool        | model             | outcome        | error code | cost |
      | 1       | code-reviewer | claude-code | claude-sonnet-4-5 | budget_blocked | LLM-020    |      |
    When the operator runs "llm-service exec --agent code-reviewer --config llm-service.yaml \"Review this diff\""
    Then it exits with 3
    And it prints on standard error:
      """
      error: budget 'platform-daily' (daily {today}) refused the request: limit $0.004, spent $0.001044, reserved $0, this request needs ~$0.003849 [LLM-020]
      hint: wait for the next budget period, raise the limit in policies.budgets, or use on_exceed: downgrade
      """
    And "claude" was run 1 time
    And the monthly stats by agent are:
      | group         | requests | succeeded | attempts | cost     |
      | code-reviewer | 3        | 1         | 3        | 0.001044 |
