package io.llmservice.core.internal.secrets;

import io.llmservice.config.LlmConfig;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.Redactor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's {@link Redactor}: masks the secrets a tool's output, a prompt or an error message
 * may hold, each replaced by {@value #MASK}.
 *
 * <ul>
 *   <li><b>Known values</b>: the exact value of every tool's {@code env:} entry and of every
 *       {@code ${VAR}} the configuration expanded ({@link #forConfig}), when at least
 *       {@value #MIN_KNOWN_VALUE_LENGTH} characters long: shorter values ({@code 1}, {@code true})
 *       are words of ordinary text, and masking them would garble messages while hiding nothing a
 *       guess could not find. Values of the variables that name the user's places and identity
 *       ({@link #PLACE_VARIABLES}: {@code HOME}, {@code XDG_DATA_HOME}, {@code TMPDIR}, {@code USER},
 *       ...) are not secrets and are not masked, so paths in messages stay readable.</li>
 *   <li><b>Token shapes</b> (after the prefixes gitleaks' rules use): Anthropic {@code sk-ant-…},
 *       OpenAI {@code sk-…}/{@code sk-proj-…}, Google {@code AIza…}, GitHub
 *       {@code ghp_ gho_ ghu_ ghs_ ghr_ github_pat_}, AWS access key ids {@code AKIA…}/{@code ASIA…},
 *       Slack {@code xox…}, JWTs, {@code Bearer …}, PEM private keys (to the end of the text
 *       when the END line was cut off).</li>
 *   <li><b>Pairs</b>: the value after {@code password}, {@code passwd}, {@code secret},
 *       {@code token}, {@code api_key}/{@code apikey}, {@code access_key}, {@code private_key}
 *       (also as the end of a longer name: {@code DB_PASSWORD}, {@code aws_secret_access_key}),
 *       written with {@code =} or {@code :}, bare, quoted or as JSON; and the password of a URL
 *       ({@code scheme://user:password@host}).</li>
 * </ul>
 *
 * <pre>{@code
 * SecretRedactor redactor = SecretRedactor.forConfig(config, Map.of("ACME_TOKEN", "t0ps3cret"));
 * redactor.redact("auth failed for t0ps3cret, password=hunter22");   // "auth failed for [REDACTED], password=[REDACTED]"
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SecretRedactor implements Redactor {
    /** What replaces a secret. */
    public static final String MASK = "[REDACTED]";
    /** Known values shorter than this are not masked. */
    public static final int MIN_KNOWN_VALUE_LENGTH = 6;
    /** Variables whose values name places or the user, not secrets. */
    public static final Set<String> PLACE_VARIABLES = Set.of("HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA",
            "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
            "TMPDIR", "TEMP", "TMP", "PWD", "USER", "USERNAME", "LOGNAME", "PATH");

    private static final Pattern TOKENS = Pattern.compile(String.join("|",
            // PEM private key, to its END line or, when the text was cut, to the end
            "-----BEGIN[A-Z0-9 ]{0,30} PRIVATE KEY( BLOCK)?-----[\\s\\S]*?(?:-----END[A-Z0-9 ]{0,30} PRIVATE KEY( BLOCK)?-----|\\z)",
            // Anthropic, OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-)
            "(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{8,}",
            "(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}",
            // Google API key
            "AIza[0-9A-Za-z_-]{30,}",
            // GitHub: personal, OAuth, user-to-server, server-to-server, refresh; fine-grained PAT
            "(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{20,}",
            "(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{20,}",
            // AWS access key id (long-term, temporary and the other documented prefixes)
            "(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])",
            // Slack bot/user/app tokens
            "(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}",
            "(?<![A-Za-z0-9])xapp-[A-Za-z0-9-]{10,}",
            // JWT (header.payload.signature, both JSON parts start with eyJ)
            "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}",
            // Authorization: Bearer <token>
            "(?i:bearer)\\s+[A-Za-z0-9._~+/-]{8,}=*"));

    // The name's prefix is bounded, so a long run of word characters costs linear time.
    private static final String KEY = "(?i:(?<![A-Za-z0-9])[A-Za-z0-9_.-]{0,40}?"
            + "(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key))"
            + "[\"']?\\s*[:=]\\s*";
    /** {@code password: "two words"}, {@code "token":"x"}: the quoted value (to the line's end if unclosed). */
    private static final Pattern QUOTED_PAIR = Pattern.compile("(" + KEY + ")([\"'])(?!\\[REDACTED])"
            + "(?:(?!\\2)[^\\r\\n])+(?:\\2|(?=[\\r\\n])|\\z)");
    /** {@code password=hunter2}, {@code token: abc}: the value up to a space, quote or separator. */
    private static final Pattern BARE_PAIR = Pattern.compile("(" + KEY + ")(?![\"'\\[\\s])[^\\s\"',;&}\\]]+");
    /** {@code postgres://user:password@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]+:)[^/\\s@]+@");

    private final List<String> knownValues;
    /** Whether the token shapes and pairs are masked too, or only the known values. */
    private final boolean shapes;

    /**
     * @param knownValues values to mask wherever they appear; those shorter than
     *                    {@value #MIN_KNOWN_VALUE_LENGTH} characters are ignored
     */
    public SecretRedactor(Collection<String> knownValues) {
        this(knownValues, true);
    }

    private SecretRedactor(Collection<String> knownValues, boolean shapes) {
        // Longest first, so a value that contains another is masked whole.
        this.knownValues = knownValues.stream().filter(s -> s.length() >= MIN_KNOWN_VALUE_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.shapes = shapes;
    }

    /**
     * Masks only the values of these variables (except {@link #PLACE_VARIABLES}), not the token
     * shapes: for the configuration's own messages, whose paths ({@code tools.x.env.API_TOKEN: ...})
     * would read as pairs.
     */
    public static SecretRedactor knownValuesOnly(Map<String, String> variables) {
        return new SecretRedactor(withoutPlaces(variables), false);
    }

    private static List<String> withoutPlaces(Map<String, String> variables) {
        List<String> values = new ArrayList<>();
        variables.forEach((name, value) -> {
            if (!PLACE_VARIABLES.contains(name)) {
                values.add(value);
            }
        });
        return values;
    }

    /**
     * The redactor of a configuration: masks the token shapes, every tool's {@code env:} values,
     * the {@code options:} values of tools whose adapter is not {@code cli} (an adapter's API key
     * may live there) and the values of the
     * {@code ${VAR}}s the configuration expanded (except {@link #PLACE_VARIABLES}).
     *
     * @param expandedVariables variable name to value, for every {@code ${VAR}} the loader filled from the environment
     */
    public static SecretRedactor forConfig(LlmConfig config, Map<String, String> expandedVariables) {
        List<String> values = new ArrayList<>(withoutPlaces(expandedVariables));
        for (ToolDefinition tool : config.tools().values()) {
            values.addAll(withoutPlaces(tool.env()));
            // A cli tool's options are rendered into its argv, which every user of the machine can
            // see: settings such as a base URL or the name of a key variable, not secrets, and
            // they are what an error message must be able to name. Keys belong in env:.
            if (!"cli".equals(tool.type())) {
                values.addAll(tool.options().values());
            }
        }
        return new SecretRedactor(values);
    }

    @Override
    public String redact(String text) {
        String out = text;
        for (String value : knownValues) {
            out = out.replace(value, MASK);
        }
        if (!shapes) {
            return out;
        }
        out = replaceAll(TOKENS, out, MASK);
        out = replaceAll(QUOTED_PAIR, out, "$1$2" + Matcher.quoteReplacement(MASK) + "$2");
        out = replaceAll(BARE_PAIR, out, "$1" + Matcher.quoteReplacement(MASK));
        return replaceAll(URL_PASSWORD, out, "$1" + Matcher.quoteReplacement(MASK) + "@");
    }

    private static String replaceAll(Pattern pattern, String text, String replacement) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.replaceAll(replacement) : text;
    }

    @Override
    public String toString() {
        return "SecretRedactor{" + knownValues.size() + " known values}";
    }
}
