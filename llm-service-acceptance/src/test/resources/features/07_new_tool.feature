Feature: A new tool added by YAML alone is routed to and executed
  An operator can add any command-line LLM tool without writing Java: its arguments, how the
  prompt is passed and where the answer and the usage are in its JSON output.

  Scenario: The "acme" tool, described only in YAML, answers the summariser
    Given a stand-in "acme" command that prints:
      """
      {"reply": {"parts": [{"text": "first"}, {"text": "ACME-OK"}]}, "stats": {"tokens_in": 200, "tokens_out": 50}}
      """
    And the configuration:
      """
      models:
        acme-small:
          provider: acme
          tier: economy
          context_window: 32000
          pricing: {input: 1.00, output: 2.00, cache_read: 0, cache_write: 0}
      tools:
        acme:
          type: cli
          binary: "${ACME_BIN}"
          args: ["chat", "--engine", "{model}", "--message", "{prompt}", "--json"]
          prompt: argument
          models: {acme-small: small-2}
          output:
            format: json
            text: "$.reply.parts[*].text"
            input_tokens: $.stats.tokens_in
            output_tokens: $.stats.tokens_out
          timeout: 30s
      agents:
        summariser:
          tool: acme
          model: acme-small
      policies:
        telemetry: {store: h2, path: "${TELEMETRY_PATH}"}
      """
    When agent "summariser" asks "Summarise: the build is green; ship it"
    Then the answer is "ACME-OK"
    And it was served by "acme" with model "acme-small"
    And the usage is 200 input and 50 output tokens
    And the cost is $0.0003, computed from the price list
    And "acme" was last run with the arguments:
      | chat                                   |
      | --engine                               |
      | small-2                                |
      | --message                              |
      | Summarise: the build is green; ship it |
      | --json                                 |
    And the telemetry file records for this request:
      | attempt | agent      | tool | model      | outcome | input tokens | output tokens | cost   |
      | 1       | summariser | acme | acme-small | success | 200          | 50            | 0.0003 |
