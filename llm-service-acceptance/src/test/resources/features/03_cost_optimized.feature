Feature: Cost-optimized routing sends each task to the cheapest model that fits it
  Under the cost-optimized strategy a short, simple prompt goes to the economy model and a
  complex task to the premium one. `llm-service route --explain` tells the operator why.

  Background:
    Given a stand-in "claude" command that prints the real output "claude-2.1.197-success.json"
    And the configuration:
      """
      tools:
        claude-code: {extends: claude-code, binary: "${CLAUDE_BIN}"}
      agents:
        assistant:
          tool: claude-code
          model: claude-sonnet-4-5
      policies:
        routing: {strategy: cost-optimized, small_prompt_tokens: 2000}
        telemetry: {store: h2, path: "${TELEMETRY_PATH}"}
      """

  Scenario: A short simple prompt goes to the economy model
    When agent "assistant" asks "Rename variable x to count" with complexity "simple"
    Then it was served by "claude-code" with model "claude-haiku-4-5"
    And "claude" was last run with the arguments "-p --output-format json --model claude-haiku-4-5 --strict-mcp-config --setting-sources user --no-session-persistence" and the prompt "Rename variable x to count" on its standard input
    When the operator runs "llm-service route --explain" for the same request
    Then it exits with 0
    And its standard output has the lines:
      | agent:     assistant                                                                              |
      | strategy:  cost-optimized                                                                         |
      | prompt:    ~5 tokens (estimated)                                                                  |
      | chosen:    claude-code/claude-haiku-4-5: cheapest economy-tier model (complexity simple -> economy) |
      | claude-code/claude-opus-4-5: tier premium, not the economy tier chosen                            |

  Scenario: A complex task goes to the premium model
    When agent "assistant" asks for a task described in 2500 words with complexity "complex"
    Then it was served by "claude-code" with model "claude-opus-4-5"
    When the operator runs "llm-service route --explain" for the same request
    Then it exits with 0
    And its standard output has the lines:
      | strategy:  cost-optimized                                                                         |
      | prompt:    ~5006 tokens (estimated)                                                               |
      | chosen:    claude-code/claude-opus-4-5: cheapest premium-tier model (complexity complex -> premium) |
      | claude-code/claude-haiku-4-5: tier economy, not the premium tier chosen                           |
