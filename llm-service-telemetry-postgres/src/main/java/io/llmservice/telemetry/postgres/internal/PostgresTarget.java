package io.llmservice.telemetry.postgres.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which PostgreSQL a store connects to and as whom, and how messages name it: by its URL (without any
 * user-info or {@code password=} parameter) and its user, never by its password. Every text that may
 * come from the server or the driver passes through {@link #redact} before it reaches a message or a
 * log line, so a password that a server's error happens to quote (a password equal to the user's name,
 * say) prints as {@code ****}.
 *
 * <pre>{@code
 * PostgresTarget target = PostgresTarget.of(settings);
 * target.describe();               // "jdbc:postgresql://db.internal:5432/llm (user llm)"
 * target.redact(sqlException);     // the same failure, the password replaced by ****
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} is {@link #describe()}.
 *
 * @param url      the JDBC URL as configured (may carry a password parameter; used only to connect)
 * @param user     the user to connect as, when configured
 * @param password that user's password, when configured
 */
record PostgresTarget(String url, Optional<String> user, Optional<Secret> password) {
    static final String URL_PREFIX = "jdbc:postgresql:";
    private static final String MASK = "****";

    PostgresTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** The target that {@code settings} names; an error when it names none or not a PostgreSQL URL. */
    static PostgresTarget of(TelemetrySettings settings) {
        String url = settings.url().orElseThrow(() -> new LlmServiceException(ErrorCode.TELEMETRY_STORE,
                "telemetry store 'postgres' has no URL: set policies.telemetry.url, e.g."
                        + " jdbc:postgresql://HOST:5432/DATABASE"));
        PostgresTarget target = new PostgresTarget(url, settings.user(), settings.password());
        if (!url.startsWith(URL_PREFIX)) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry store 'postgres' cannot use "
                    + target.safeUrl() + ": policies.telemetry.url must be a PostgreSQL JDBC URL like"
                    + " jdbc:postgresql://HOST:5432/DATABASE");
        }
        return target;
    }

    /** The URL without user-info ({@code //user:pw@host}) and without {@code password}/{@code sslpassword} parameters. */
    String safeUrl() {
        String s = url.replaceFirst("^(jdbc:postgresql://)[^/?@]*@", "$1");
        int q = s.indexOf('?');
        if (q < 0) {
            return s;
        }
        String kept = Arrays.stream(s.substring(q + 1).split("&"))
                .filter(p -> !isPasswordParameter(p))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? s.substring(0, q) : s.substring(0, q + 1) + kept;
    }

    private static boolean isPasswordParameter(String p) {
        String key = p.split("=", 2)[0].toLowerCase(Locale.ROOT);
        return key.equals("password") || key.equals("sslpassword");
    }

    /** The user as messages name it: the configured one, or the URL's {@code user=}, or the driver's default. */
    String userName() {
        if (user.isPresent()) {
            return user.get();
        }
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String p : url.substring(q + 1).split("&")) {
                String[] kv = p.split("=", 2);
                if (kv.length == 2 && kv[0].equalsIgnoreCase("user")) {
                    return kv[1];
                }
            }
        }
        return "(the driver's default user)";
    }

    /** {@code host:port} (or several, comma-separated) of the URL; {@code localhost:5432} when it names none. */
    String hostSpec() {
        String s = safeUrl().substring(URL_PREFIX.length());
        if (!s.startsWith("//")) {
            return "localhost:5432";
        }
        s = s.substring(2);
        int end = s.length();
        for (char c : new char[] {'/', '?'}) {
            int i = s.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        String hosts = s.substring(0, end);
        return hosts.isEmpty() ? "localhost:5432" : hosts;
    }

    /**
     * How messages name the store: the URL without secrets, and the user. Redacted too: a user or
     * database named like the password (a mistake, but one that happens) must not print it.
     */
    String describe() {
        return redact(safeUrl() + " (user " + userName() + ")");
    }

    /** Where the password is to come from, for hints: {@code the password in ${PGPASSWORD}}. */
    String passwordSource() {
        return password.map(p -> "the password in ${" + p.variable() + "}")
                .orElse("the password (none is set: add password: ${PGPASSWORD} to policies.telemetry)");
    }

    /** {@code text} with every occurrence of the password replaced by {@code ****}. */
    String redact(String text) {
        if (text == null || password.isEmpty() || password.get().reveal().isEmpty()) {
            return text;
        }
        return text.replace(password.get().reveal(), MASK);
    }

    /**
     * {@code e} itself when no message in its chain (causes, next exceptions) contains the password;
     * else a copy of the chain with the password replaced by {@code ****} (SQL states, error codes, stack
     * traces and the pool's timeout type kept; the driver's own exception types are not).
     */
    SQLException redact(SQLException e) {
        return mentionsPassword(e) ? copy(e) : e;
    }

    /** As {@link #redact(SQLException)}, for any exception (a Flyway failure, say). */
    Throwable redact(Throwable t) {
        return mentionsPassword(t) ? copy(t) : t;
    }

    private boolean mentionsPassword(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (!Objects.equals(redact(x.getMessage()), x.getMessage())) {
                return true;
            }
            if (x instanceof SQLException sql && sql.getNextException() != null && mentionsPassword(sql.getNextException())) {
                return true;
            }
            if (x.getCause() == x) {
                break;
            }
        }
        return false;
    }

    private SQLException copy(SQLException e) {
        String message = redact(e.getMessage());
        SQLException c = e instanceof SQLTransientConnectionException
                ? new SQLTransientConnectionException(message, e.getSQLState(), e.getErrorCode())
                : new SQLException(message, e.getSQLState(), e.getErrorCode());
        c.setStackTrace(e.getStackTrace());
        if (e.getCause() != null && e.getCause() != e) {
            c.initCause(copy(e.getCause()));
        }
        if (e.getNextException() != null) {
            c.setNextException(copy(e.getNextException()));
        }
        return c;
    }

    private Throwable copy(Throwable t) {
        if (t instanceof SQLException sql) {
            return copy(sql);
        }
        if (!mentionsPassword(t)) {
            return t;
        }
        IllegalStateException c = new IllegalStateException(t.getClass().getName() + ": " + redact(t.getMessage()));
        c.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t) {
            c.initCause(copy(t.getCause()));
        }
        return c;
    }

    @Override
    public String toString() {
        return describe();
    }
}
