package io.llmservice.cli;

import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.StoreCheck;
import io.llmservice.spi.StoreCopyOptions;
import io.llmservice.spi.StoreCopyReport;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code llm-service telemetry check}: opens the configured telemetry store (an H2 store whose data
 * file lost data is refused right there) and reads all of it back. {@code llm-service telemetry copy}:
 * copies an H2 store's invocation log and budget ledger into a PostgreSQL store, resumably and
 * idempotently ({@link TelemetryStore#copyTo}); progress on stderr, the summary on stdout.
 */
@Command(name = "telemetry", sortOptions = false,
        description = {"Verify the telemetry store, or copy an H2 store into PostgreSQL.",
                "'check' opens the configured store (refusing a damaged file) and reads every record back. Exit code 1"
                        + " when anything is wrong.",
                "'copy' copies the invocation log and budget ledger of the H2 store at --from into the PostgreSQL"
                        + " store at --to (default: the configured 'postgres' store). Running it again, or after it"
                        + " was killed, completes it without doubling anything. Rate-limit buckets and cooldowns are"
                        + " not copied."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service telemetry check",
                "  llm-service telemetry copy --from ./telemetry --dry-run",
                "  llm-service telemetry copy --from old --to jdbc:postgresql://db/llm"})
final class TelemetryCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private static final String POSTGRES = "postgres";
    private static final String H2 = "h2";
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "check | copy")
    String action;

    @Option(names = "--from", paramLabel = "PATH",
            description = "copy: the H2 store to copy, as its policies.telemetry.path (its data is PATH.mv.db).")
    Path from;

    @Option(names = "--to", paramLabel = "URL",
            description = "copy: the PostgreSQL store to copy into, jdbc:postgresql://HOST[:PORT]/DATABASE. Default: the"
                    + " configured store, when it is a 'postgres' one.")
    String to;

    @Option(names = "--user", paramLabel = "USER", description = "copy: the user to connect to --to as.")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "copy: the environment variable holding that user's password (never the password itself)."
                    + " Default: PGPASSWORD, when set.")
    String passwordEnv;

    @Option(names = "--dry-run", description = "copy: count what would be copied; write nothing.")
    boolean dryRun;

    @Option(names = "--force",
            description = "copy: copy although the source holds live reservations (agents still running on it), or"
                    + " less spend than an earlier copy took from it (that period's spend is then kept, never lowered).")
    boolean force;

    @Mixin
    CommonOptions common = new CommonOptions();

    TelemetryCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        return switch (action) {
            case "check" -> check();
            case "copy" -> copy();
            default -> throw new ParameterException(spec.commandLine(), "unknown action '" + action
                    + "': use check or copy");
        };
    }

    private int check() {
        if (from != null || to != null || user != null || passwordEnv != null || dryRun || force) {
            throw new ParameterException(spec.commandLine(), "--from, --to, --user, --password-env, --dry-run and"
                    + " --force go with 'copy', not 'check'");
        }
        TelemetrySettings settings = StoreAccess.settings(env, common);
        TelemetryStoreProvider provider = StoreAccess.provider(settings.store());
        // A server store is at its URL (never carrying a password: TelemetrySettings refuses one), not at a path.
        env.out().println("checking the '" + settings.store() + "' store at " + settings.location()
                + settings.url().flatMap(u -> settings.user()).map(u -> " (user " + u + ")").orElse(""));
        StoreCheck check = provider.check(settings, Clock.systemUTC());
        check.findings().forEach(env.out()::println);
        return check.ok() ? ExitCodes.OK : ExitCodes.TOOL_FAILURE;
    }

    private int copy() {
        if (from == null) {
            throw new ParameterException(spec.commandLine(), "copy needs --from PATH: the H2 store to copy (its"
                    + " policies.telemetry.path)");
        }
        Path base = sourceBase();
        TelemetrySettings target = target();
        TelemetrySettings source = TelemetrySettings.builder().store(H2).path(base).build();
        Clock clock = Clock.systemUTC();
        String where = target.location() + target.user().map(u -> " (user " + u + ")").orElse("");
        env.err().println((dryRun ? "dry run: " : "") + "copying the 'h2' store at " + base + " into " + where);
        long[] lastPrint = {System.nanoTime(), -1};
        StoreCopyOptions options = StoreCopyOptions.builder().dryRun(dryRun).force(force).progress((done, total) -> {
            long now = System.nanoTime();
            if (done == total || now - lastPrint[0] >= PROGRESS_EVERY_NANOS) {
                if (done != lastPrint[1]) {
                    env.err().println("records: " + done + " / " + total);
                }
                lastPrint[0] = now;
                lastPrint[1] = done;
            }
        }).build();
        StoreCopyReport r;
        try (TelemetryStore h2 = StoreAccess.provider(H2).open(source, clock);
             TelemetryStore pg = StoreAccess.provider(POSTGRES).open(target, clock)) {
            r = h2.copyTo(pg, options);
        }
        summary(r, base, where);
        return ExitCodes.OK;
    }

    /** The source's base path (a path given as the data file {@code X.mv.db} means {@code X}); it must exist. */
    private Path sourceBase() {
        Path p = env.workingDirectory().resolve(expandHome(from.toString()));
        String name = p.getFileName().toString();
        if (name.endsWith(".mv.db")) {
            p = p.resolveSibling(name.substring(0, name.length() - ".mv.db".length()));
        }
        Path data = p.resolveSibling(p.getFileName() + ".mv.db");
        if (!Files.isRegularFile(data)) {
            throw new UsageException("no H2 telemetry store at " + p + ": " + data + " does not exist (nothing was"
                    + " created)", "--from takes the store's policies.telemetry.path, e.g. "
                    + env.locations().defaultTelemetryPath());
        }
        return p;
    }

    private Path expandHome(String path) {
        return path.equals("~") ? env.home() : path.startsWith("~/") ? env.home().resolve(path.substring(2))
                : Path.of(path);
    }

    /** The PostgreSQL store to copy into: --to (with --user and the password variable), or the configured one. */
    private TelemetrySettings target() {
        if (to == null) {
            if (user != null || passwordEnv != null) {
                throw new ParameterException(spec.commandLine(), "--user and --password-env go with --to; without"
                        + " --to the configured store is used with its own user and password");
            }
            TelemetrySettings configured = StoreAccess.settings(env, common);
            if (!configured.store().equals(POSTGRES)) {
                throw new UsageException("copy needs a PostgreSQL store to copy into: the configured store is '"
                        + configured.store() + "' at " + configured.location(),
                        "pass --to jdbc:postgresql://HOST/DATABASE --user USER, or configure policies.telemetry"
                                + " with store: postgres");
            }
            return configured;
        }
        // Neither message quotes --to: a URL given here may hold a password.
        if (TelemetrySettings.urlCarriesPassword(to) || to.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new ParameterException(spec.commandLine(), "--to must not carry a password (a password= or"
                    + " sslpassword= parameter, or user:password@): a command line is visible to every user of the"
                    + " machine; remove it and export the password in PGPASSWORD (or name another variable with"
                    + " --password-env)");
        }
        if (!to.startsWith("jdbc:postgresql:")) {
            throw new ParameterException(spec.commandLine(), "--to must be a PostgreSQL JDBC URL"
                    + " (jdbc:postgresql://HOST[:PORT]/DATABASE)");
        }
        TelemetrySettings.Builder b = TelemetrySettings.builder().store(POSTGRES).url(to);
        if (user != null) {
            b.user(user);
        }
        password().ifPresent(b::password);
        return b.build();
    }

    private Optional<Secret> password() {
        String variable = passwordEnv != null ? passwordEnv : "PGPASSWORD";
        Optional<String> value = env.variable(variable);
        if (value.isEmpty() && passwordEnv != null) {
            throw new UsageException("--password-env " + passwordEnv + ": the variable " + passwordEnv
                    + " is not set (or empty)", "export " + passwordEnv + " with the password of the --to user");
        }
        return value.map(v -> Secret.fromVariable(variable, v));
    }

    private void summary(StoreCopyReport r, Path base, String where) {
        String verb = r.dryRun() ? "would copy " : "copied ";
        long toCopy = r.dryRun() ? r.sourceRecords() - r.recordsAlreadyThere() : r.recordsCopied();
        env.out().println((r.dryRun() ? "dry run, nothing was written: " : "") + verb + toCopy + " of "
                + r.sourceRecords() + " invocation record(s) from " + base + " (store " + r.sourceId() + ") to "
                + where + "; " + r.recordsAlreadyThere() + " were there already");
        env.out().println("budget ledger: " + r.periods() + " period(s); " + (r.dryRun() ? "would add $" : "added $")
                + plain(r.spendAddedUsd()) + " of spend; " + (r.dryRun() ? "would copy " : "copied ")
                + r.reservationsCopied() + " closed reservation(s) as history");
        if (r.liveReservations() > 0) {
            env.out().println("not copied: " + r.liveReservations() + " live reservation(s) of calls still running;"
                    + " run the same copy again after they end to bring their spend");
        }
        env.out().println("not copied: rate-limit buckets and cooldowns (transient; they start afresh at the target)");
    }

    private static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
