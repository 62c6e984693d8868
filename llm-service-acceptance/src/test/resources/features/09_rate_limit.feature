Feature: A rate limit refuses a request that comes too soon
  With on_limit: fail, a request over the agent's rate limit fails at once, says when to retry,
  and the tool does not run.

  Scenario: One request per minute: the second one is refused with a retry-after
    Given a stand-in "claude" command that prints the real output "claude-2.1.197-success.json"
    And the configuration:
      """
      tools:
        claude-code: {extends: claude-code, binary: "${CLAUDE_BIN}"}
      agents:
        code-reviewer:
          tool: claude-code
          model: claude-sonnet-4-5
      policies:
        rate_limits:
          - scope: {agent: code-reviewer}
            requests_per_minute: 1
            on_limit: fail
        telemetry: {store: h2, path: "${TELEMETRY_PATH}"}
      """
    When agent "code-reviewer" asks "Review this diff"
    Then the answer is "STUB-OK"
    When agent "code-reviewer" asks "Review this diff"
    Then the request is refused by the rate limit, to be retried within 60 seconds
    And "claude" was run 1 time
    And the telemetry file records for this request:
      | attempt | agent         | outcome      | error code |
      | 0       | code-reviewer | rate_limited | LLM-021    |
