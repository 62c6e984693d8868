Feature: A tool that runs past its timeout is killed and the fallback serves
  The tool's whole process tree is killed when its timeout passes; the timeout is a reason to
  fall back, and both attempts are recorded.

  Scenario: Claude Code hangs; after 2 seconds it is killed and Codex answers
    Given a stand-in "claude" command that hangs for 60 seconds with a child process
    And a stand-in "codex" command that prints the real output "codex-0.169.0-success.jsonl"
    And the configuration:
      """
      tools:
        claude-code: {extends: claude-code, binary: "${CLAUDE_BIN}", timeout: 2s}
        codex: {extends: codex, binary: "${CODEX_BIN}"}
      agents:
        code-reviewer:
          tool: claude-code
          model: claude-sonnet-4-5
          fallbacks: [{tool: codex, model: gpt-5-codex}]
      policies:
        telemetry: {store: h2, path: "${TELEMETRY_PATH}"}
      """
    When agent "code-reviewer" asks "Review this diff"
    Then the answer is "STUB-OK"
    And it was served by "codex" with model "gpt-5-codex"
    And the attempts were:
      | attempt | tool        | model             | outcome |
      | 1       | claude-code | claude-sonnet-4-5 | timeout |
      | 2       | codex       | gpt-5-codex       | success |
    And the processes "claude" started are no longer running
    And the telemetry file records for this request:
      | attempt | tool        | outcome | exit code | error code |
      | 1       | claude-code | timeout |           | LLM-031    |
      | 2       | codex       | success | 0         |            |
