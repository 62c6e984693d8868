package io.llmservice.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * The {@code llm-service} executable: {@code java -jar llm-service.jar COMMAND ...}.
 *
 * <p>Only the command that is asked for is built: picocli reads the annotations of each command
 * class it is given, so {@code llm-service version} never loads the other commands, and only the
 * commands that build a service (not {@code version}) load the implementation (YAML, validation,
 * adapters). Help, an unknown command or no command builds
 * the whole tree, so the usage lists every command and picocli can suggest the closest one.
 */
public final class Main {
    /** The subcommands, in the order the usage lists them ({@link #command} makes each). */
    private static final List<String> COMMANDS = List.of("exec", "route", "config", "tools", "stats", "report", "prune",
            "telemetry", "daemon", "version", "whatif");

    private Main() {
    }

    public static void main(String[] args) {
        // Hibernate Validator logs through JBoss Logging, which would fall back to java.util.logging
        // and print INFO lines on stderr; route it to slf4j-simple (warn level) like everything else.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        if (verbose(args)) {
            // Before the first logger is created: slf4j-simple reads its level once, then.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        CliEnvironment env = CliEnvironment.system();
        int code = run(env, args);
        env.out().flush();
        env.err().flush();
        System.exit(code);
    }

    private static boolean verbose(String... args) {
        return java.util.Arrays.asList(args).contains("--verbose");
    }

    /** Runs one command line and returns its exit code; never calls {@link System#exit}. */
    static int run(CliEnvironment env, String... args) {
        try {
            return commandLine(env, args).execute(args);
        } catch (RuntimeException | LinkageError e) {
            // picocli lets Errors (and exceptions thrown by its own handlers) through: still one line and a hint.
            return new ErrorReporter(env).report(e instanceof Exception ex ? ex : new IllegalStateException(e.toString(), e),
                    verbose(args));
        }
    }

    /** The configured picocli tree for these arguments (all commands, or only the one named first). */
    static CommandLine commandLine(CliEnvironment env, String... args) {
        CommandLine root = new CommandLine(new RootCommand(env));
        String first = args.length > 0 ? args[0] : "";
        if (COMMANDS.contains(first)) {
            root.addSubcommand(first, subcommand(first, env));
        } else {
            for (String name : COMMANDS) {
                root.addSubcommand(name, subcommand(name, env));
            }
        }
        // Settings reach only the subcommands present when they are set, so they come last.
        ErrorReporter reporter = new ErrorReporter(env);
        documentExitCodes(root);
        root.setExpandAtFiles(false); // "@notes.txt" is a prompt, not an argument file
        root.setCaseInsensitiveEnumValuesAllowed(true);
        root.setOut(new PrintWriter(env.out(), true));
        root.setErr(new PrintWriter(env.err(), true));
        root.setColorScheme(CommandLine.Help.defaultColorScheme(
                env.color() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        root.setExecutionStrategy(Main::execute);
        root.setExecutionExceptionHandler(reporter);
        root.setParameterExceptionHandler(reporter);
        return root;
    }

    /** Runs the last command given, after handing each command's common options on to its subcommand. */
    private static int execute(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult parent = parsed;
        while (parent.hasSubcommand()) {
            CommandLine.ParseResult child = parent.subcommand();
            java.util.Optional<CommonOptions> given = common(parent);
            common(child).ifPresent(c -> given.ifPresent(c::inherit));
            parent = child;
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** The {@link CommonOptions} mixed into a parsed command, if it has them. */
    static java.util.Optional<CommonOptions> common(CommandLine.ParseResult command) {
        return command.commandSpec().mixins().values().stream().map(CommandLine.Model.CommandSpec::userObject)
                .filter(CommonOptions.class::isInstance).map(CommonOptions.class::cast).findFirst();
    }

    private static void documentExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.help());
        cl.getSubcommands().values().forEach(Main::documentExitCodes);
    }

    private static CommandLine subcommand(String name, CliEnvironment env) {
        Object command = command(name, env);
        CommandLine cl = new CommandLine(command);
        if (command instanceof ConfigCommand) {
            cl.addSubcommand("init", new ConfigInitCommand(env));
            cl.addSubcommand("validate", new ConfigValidateCommand(env));
        }
        return cl;
    }

    // A switch rather than a map of constructor references: each reference is linked the first time it is
    // used, and building the map linked all seven on every start.
    private static Object command(String name, CliEnvironment env) {
        return switch (name) {
            case "exec" -> new ExecCommand(env);
            case "route" -> new RouteCommand(env);
            case "config" -> new ConfigCommand();
            case "tools" -> new ToolsCommand(env);
            case "stats" -> new StatsCommand(env);
            case "report" -> new ReportCommand(env);
            case "prune" -> new PruneCommand(env);
            case "telemetry" -> new TelemetryCommand(env);
            case "daemon" -> new DaemonCommand(env);
            case "version" -> new VersionCommand(env);
            case "whatif" -> new WhatIfCommand(env);
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }
}
