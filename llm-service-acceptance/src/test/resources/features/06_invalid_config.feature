Feature: An invalid configuration is rejected with the file, line and column of each problem
  A wrong YAML value is never silently fixed: loading fails, and every problem is reported as
  file:line:column, the path of the key and what to do.

  Background:
    Given the configuration:
      """
      agents:
        code-reviewer:
          tool: claude-code
          modle: claude-sonnet-4-5
      """

  Scenario: The library refuses to start with a misspelt key
    When the service is started with this configuration
    Then the configuration is rejected with the problems:
      | {dir}/llm-service.yaml:3:5: agents.code-reviewer.model: is required; add it                                     |
      | {dir}/llm-service.yaml:4:5: agents.code-reviewer.modle: unknown key 'modle'; did you mean 'model'? |

  Scenario: "llm-service config validate" names the line and exits with 2
    When the operator runs "llm-service config validate llm-service.yaml"
    Then it exits with 2
    And it prints on standard error:
      """
      {dir}/llm-service.yaml:3:5: agents.code-reviewer.model: is required; add it
      {dir}/llm-service.yaml:4:5: agents.code-reviewer.modle: unknown key 'modle'; did you mean 'model'?
      invalid: 2 problems in {dir}/llm-service.yaml
      """
