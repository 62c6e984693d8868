package io.llmservice.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code policies.telemetry}: which store records invocations and keeps the budget ledger, where,
 * how much it keeps, and what a soft budget does when the store cannot be reached.
 *
 * <pre>{@code
 * TelemetrySettings t = llm.config().policies().telemetry();
 * System.out.println(t.store() + " store at " + t.location() + ", privacy " + t.privacy().yamlName());
 *
 * TelemetrySettings team = TelemetrySettings.builder()
 *         .store("postgres")
 *         .url("jdbc:postgresql://db.internal:5432/llm")
 *         .user("llm")
 *         .password(Secret.fromVariable("PGPASSWORD", System.getenv("PGPASSWORD")))
 *         .poolSize(4)
 *         .build();
 * System.out.println(team);   // the password prints as ****
 * }</pre>
 *
 * <p>A file store ({@code h2}, {@code memory}) uses {@code path}; a server store ({@code postgres})
 * uses {@code url}, {@code user}, {@code password}, {@code poolSize} and {@code connectTimeout}, and
 * its {@code path} is only the default data directory, unused by the store.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe. Build one with {@link #builder()}
 * (the canonical constructor stays public, but it breaks whenever a component is added).
 *
 * @param store          the telemetry store provider's type ({@code memory} built in, {@code h2} and
 *                       {@code postgres} in their modules)
 * @param path           where a file-based store keeps its data ({@code ~} already expanded)
 * @param privacy        metadata only (default), or full text with secrets redacted
 * @param url            a server store's JDBC URL, e.g. {@code jdbc:postgresql://db.internal:5432/llm}
 * @param user           the user a server store connects as
 * @param password       that user's password, only ever from a <code>${VAR}</code>; prints as {@code ****}
 * @param poolSize       the most connections one process opens to a server store, 1..{@value #MAX_POOL_SIZE};
 *                       default {@value #DEFAULT_POOL_SIZE}
 * @param connectTimeout how long a connection to a server store is waited for, &gt; 0; default
 *                       {@link #DEFAULT_CONNECT_TIMEOUT}
 * @param whenDown       what a soft budget does when the store cannot be reached (a hard one always
 *                       refuses); default {@link WhenDown#REFUSE}
 */
public record TelemetrySettings(String store, Path path, Privacy privacy, Optional<String> url,
                                Optional<String> user, Optional<Secret> password, int poolSize,
                                Duration connectTimeout, WhenDown whenDown) {
    /** Default of {@code pool_size}: a few connections per process, so many hosts fit one server. */
    public static final int DEFAULT_POOL_SIZE = 4;
    /** Largest {@code pool_size}. */
    public static final int MAX_POOL_SIZE = 64;
    /** Default of {@code connect_timeout}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public TelemetrySettings {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(privacy, "privacy");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(whenDown, "whenDown");
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("telemetry pool_size must be in 1.." + MAX_POOL_SIZE + ", was "
                    + poolSize);
        }
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw new IllegalArgumentException("telemetry connect_timeout must be > 0, was " + connectTimeout);
        }
        if (url.isPresent() && urlCarriesPassword(url.get())) {
            // Not quoted: the URL holds a password, and this message may reach a log or a terminal.
            throw new IllegalArgumentException("the telemetry url must not carry a password (a password= or"
                    + " sslpassword= parameter, or user:password@ before the host); remove it and give the password"
                    + " as password: ${PGPASSWORD} (in code: Builder.password(Secret.fromVariable(...)))");
        }
    }

    /**
     * Whether a JDBC URL carries a password: a {@code password} or {@code sslpassword} parameter, or
     * user-info with a password ({@code //user:secret@host}). Such a URL is refused, so that
     * {@link #location()} and every message built from it can never print a password.
     */
    public static boolean urlCarriesPassword(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        int q = lower.indexOf('?');
        if (q >= 0) {
            for (String parameter : lower.substring(q + 1).split("&")) {
                String key = parameter.split("=", 2)[0].strip();
                if (key.equals("password") || key.equals("sslpassword")) {
                    return true;
                }
            }
        }
        int authority = lower.indexOf("//");
        if (authority < 0) {
            return false;
        }
        String rest = lower.substring(authority + 2);
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) {
            int i = rest.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        int at = rest.lastIndexOf('@', end - 1);
        return at >= 0 && rest.substring(0, at).contains(":");
    }


    /**
     * Where the store is, for messages: the URL of a server store, else the path. Never holds a
     * password: a URL carrying one is refused when the settings are built (see
     * {@link #urlCarriesPassword(String)}).
     */
    public String location() {
        return url.orElseGet(path::toString);
    }

    /** A builder with the defaults set; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to make a copy with some of them changed. */
    public Builder toBuilder() {
        Builder b = new Builder().store(store).path(path).privacy(privacy).poolSize(poolSize)
                .connectTimeout(connectTimeout).whenDown(whenDown);
        b.url = url;
        b.user = user;
        b.password = password;
        return b;
    }

    /**
     * Builds {@link TelemetrySettings}. Only {@code store} is required. Defaults: path
     * {@code ./telemetry} (the YAML default is {@link DefaultLocations#defaultTelemetryPath()}),
     * {@link Privacy#METADATA}, no url, user or password, {@link #DEFAULT_POOL_SIZE} connections,
     * {@link #DEFAULT_CONNECT_TIMEOUT}, {@link WhenDown#REFUSE}. Not thread-safe.
     */
    public static final class Builder {
        private String store;
        private Path path = Path.of("telemetry");
        private Privacy privacy = Privacy.METADATA;
        private Optional<String> url = Optional.empty();
        private Optional<String> user = Optional.empty();
        private Optional<Secret> password = Optional.empty();
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private WhenDown whenDown = WhenDown.REFUSE;

        private Builder() {
        }

        /** The store provider's type, e.g. {@code memory}, {@code h2}, {@code postgres}; required. */
        public Builder store(String store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder path(Path path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        public Builder privacy(Privacy privacy) {
            this.privacy = Objects.requireNonNull(privacy, "privacy");
            return this;
        }

        /** A server store's JDBC URL. */
        public Builder url(String url) {
            this.url = Optional.of(url);
            return this;
        }

        public Builder user(String user) {
            this.user = Optional.of(user);
            return this;
        }

        public Builder password(Secret password) {
            this.password = Optional.of(password);
            return this;
        }

        /** The most connections one process opens, 1..{@value #MAX_POOL_SIZE}. */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        public Builder whenDown(WhenDown whenDown) {
            this.whenDown = Objects.requireNonNull(whenDown, "whenDown");
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalStateException    when {@code store} was not set
         * @throws IllegalArgumentException when a value is out of range, naming it and the value
         */
        public TelemetrySettings build() {
            if (store == null) {
                throw new IllegalStateException("TelemetrySettings.store is required and was not set");
            }
            return new TelemetrySettings(store, path, privacy, url, user, password, poolSize, connectTimeout,
                    whenDown);
        }
    }
}
