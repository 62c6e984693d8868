package io.llmservice.cli;

import io.llmservice.Complexity;
import io.llmservice.LlmRequest;
import io.llmservice.Session;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code exec} and {@code route} share: the request's options and its prompt. Written by picocli. */
public final class RequestOptions {

    @Option(names = "--agent", paramLabel = "AGENT",
            description = "The agent to route for. Default: policies.default_agent, or the only agent.")
    String agent;

    @Option(names = "--tool", paramLabel = "TOOL", description = "Force this tool (must support the model).")
    String tool;

    @Option(names = "--model", paramLabel = "MODEL", description = "Force this catalogue model.")
    String model;

    @Option(names = "--complexity", paramLabel = "LEVEL",
            description = "A hint for cost-optimized routing: simple, medium or complex.")
    Complexity complexity;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Override the tool's timeout for this request: 500ms, 90s, 10m, 2h (or ISO-8601 PT90S).")
    Duration timeout;

    @Option(names = "--session", paramLabel = "TOOL:ID", converter = SessionConverter.class,
            description = "Continue this session (as printed by --new-session) on its tool; if that tool fails,"
                    + " a fallback starts a new session and says so.")
    Session session;

    @Option(names = "--new-session", description = "Keep this conversation as a new session and print it"
            + " (stderr 'session: TOOL:ID', or \"session\" in --json). Without it the tool keeps no transcript.")
    boolean newSession;

    @Parameters(index = "0", paramLabel = "PROMPT",
            description = "The prompt; '-' reads it from standard input (UTF-8, byte-exact). "
                    + "A prompt starting with '-' goes after '--'.")
    String prompt;

    public RequestOptions() {
    }

    /** The request, reading the prompt from {@code stdin} when it is {@code -}. */
    LlmRequest toRequest(CliEnvironment env) {
        String text = prompt.equals("-") ? readStdin(env.stdin()) : prompt;
        if (text.isEmpty()) {
            throw new UsageException("the prompt is empty" + (prompt.equals("-") ? " (nothing on standard input)" : ""),
                    "pass the prompt as an argument, or pipe it in with '-': echo 'hello' | llm-service exec -");
        }
        LlmRequest.Builder b = LlmRequest.builder(text).workingDirectory(env.workingDirectory());
        if (agent != null) {
            b.agent(agent);
        }
        if (tool != null) {
            b.tool(tool);
        }
        if (model != null) {
            b.model(model);
        }
        if (complexity != null) {
            b.complexity(complexity);
        }
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (session != null && newSession) {
            throw new UsageException("--session and --new-session contradict each other",
                    "pass --session TOOL:ID to continue a session, or --new-session to start one");
        }
        if (session != null) {
            if (tool != null && !tool.equals(session.tool())) {
                throw new UsageException("--tool " + tool + " contradicts --session " + session + ", which belongs to "
                        + session.tool(), "drop --tool: a session continues on its own tool");
            }
            b.session(session);
        }
        if (newSession) {
            b.newSession();
        }
        return b.build();
    }

    /** All of stdin as strict UTF-8: a byte that is not UTF-8 is an error, never silently replaced. */
    static String readStdin(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the prompt from standard input: " + e.getMessage(), e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UsageException("standard input is not valid UTF-8 (" + bytes.length + " bytes read)",
                    "convert the prompt to UTF-8, e.g. iconv -f LATIN1 -t UTF-8 file | llm-service exec -");
        }
    }

    /** {@code TOOL:ID}, as {@code exec --new-session} prints it. */
    public static final class SessionConverter implements ITypeConverter<Session> {
        public SessionConverter() {
        }

        @Override
        public Session convert(String value) {
            try {
                return Session.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h} (as in the configuration) or ISO-8601 {@code PT90S}. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

        public DurationConverter() {
        }

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.strip());
            Duration d;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                try {
                    d = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException("'" + value + "' is not a duration like 90s, 10m or 2h");
                }
            }
            if (d.isZero() || d.isNegative()) {
                throw new TypeConversionException("'" + value + "' must be a positive duration like 90s");
            }
            return d;
        }
    }

}
