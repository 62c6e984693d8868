package io.llmservice;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration is invalid. Carries <em>every</em> problem found, sorted by file, line and
 * column, so a user fixes them all in one pass.
 *
 * <pre>{@code
 * try {
 *     LlmService.fromConfig(Path.of("llm-service.yaml"));
 * } catch (ConfigException e) {
 *     e.problems().forEach(System.err::println);   // llm.yaml:14:11: tools.codex.timeout: ...
 * }
 * }</pre>
 */
public class ConfigException extends LlmServiceException {
    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(ErrorCode.CONFIG_INVALID, render(problems));
        this.problems = problems.stream().sorted().collect(Collectors.toUnmodifiableList());
    }

    /** Every problem, sorted by source, line, column. Never empty. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        List<ConfigProblem> sorted = problems.stream().sorted().collect(Collectors.toList());
        String head = sorted.size() == 1 ? "invalid configuration: 1 problem"
                : "invalid configuration: " + sorted.size() + " problems";
        return head + System.lineSeparator() + sorted.stream().map(ConfigProblem::toString)
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
