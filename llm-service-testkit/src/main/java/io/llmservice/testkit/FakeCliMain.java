package io.llmservice.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The program behind {@link FakeCli.Mode#JAVA}; run by the launcher {@link FakeCli} generates,
 * never directly:
 *
 * <pre>{@code
 * java -cp llm-service-testkit.jar io.llmservice.testkit.FakeCliMain <fake-cli directory> <arguments...>
 * }</pre>
 *
 * <p>Behaves like the shell mode: records the call, then answers with the scripted response.
 */
public final class FakeCliMain {

    private static final String GRANDCHILD = "--fake-cli-grandchild";

    private FakeCliMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals(GRANDCHILD)) {
            Thread.sleep(Long.parseLong(args[1]));
            return;
        }
        if (args.length < 1) {
            System.err.println("usage: FakeCliMain <fake-cli directory> [arguments...]");
            Runtime.getRuntime().halt(2);
        }
        Path dir = Path.of(args[0]);
        Properties config = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(FakeCli.CONFIG_FILE))) {
            config.load(in);
        }
        Path calls = dir.resolve(FakeCli.CALLS);
        int n = 1;
        while (true) {
            try {
                Files.createFile(calls.resolve(n + ".seq"));
                break;
            } catch (FileAlreadyExistsException e) {
                n++;
            }
        }
        int r = Math.min(n, Integer.parseInt(config.getProperty("responses")));
        String p = "response." + r + ".";
        if (Boolean.parseBoolean(config.getProperty(p + "ignoreSigterm"))) {
            // A shutdown hook that never ends keeps the JVM alive through SIGTERM; only SIGKILL stops it.
            // Normal completion below uses halt(), which skips hooks.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        String base = Integer.toString(n);
        Files.writeString(calls.resolve(base + ".pid"), ProcessHandle.current().pid() + "\n");
        recordArgv(calls, base, args);
        recordEnvironment(calls, base);
        Files.writeString(calls.resolve(base + ".cwd"), Path.of("").toAbsolutePath() + "\n");
        if (Boolean.parseBoolean(config.getProperty(p + "readStdin"))) {
            Files.write(calls.resolve(base + ".stdin"), System.in.readAllBytes());
        }
        String grandchild = config.getProperty(p + "grandchildMillis", "");
        if (!grandchild.isEmpty()) {
            Process child = new ProcessBuilder(JavaLauncher.javaExecutable(isWindows()), "-cp",
                    JavaLauncher.classPath(), FakeCliMain.class.getName(), GRANDCHILD, grandchild)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            child.getOutputStream().close();
            Files.writeString(calls.resolve(base + ".grandchild"), child.pid() + "\n");
        }
        long delay = Long.parseLong(config.getProperty(p + "delayMillis"));
        if (delay > 0) {
            Thread.sleep(delay);
        }
        PrintStream out = System.out;
        out.write(Files.readAllBytes(dir.resolve(FakeCli.RESPONSES).resolve(r + ".stdout")));
        flood(out, Long.parseLong(config.getProperty(p + "floodStdoutBytes")));
        out.flush();
        System.err.write(Files.readAllBytes(dir.resolve(FakeCli.RESPONSES).resolve(r + ".stderr")));
        System.err.flush();
        Files.createFile(calls.resolve(base + ".done"));
        Runtime.getRuntime().halt(Integer.parseInt(config.getProperty(p + "exitCode")));
    }

    /** Prefers the launcher's byte-exact record (POSIX); else the JVM's decoding (Windows: UTF-16, lossless). */
    private static void recordArgv(Path calls, String base, String[] args) throws IOException {
        Path launcherRecord = calls.resolve("pid-" + ProcessHandle.current().pid() + ".argv");
        if (Files.exists(launcherRecord)) {
            Files.move(launcherRecord, calls.resolve(base + ".argv"));
            return;
        }
        ByteArrayOutputStream argv = new ByteArrayOutputStream();
        for (int i = 1; i < args.length; i++) {
            argv.writeBytes(args[i].getBytes(StandardCharsets.UTF_8));
            argv.write(0);
        }
        Files.write(calls.resolve(base + ".argv"), argv.toByteArray());
    }

    /** Linux: the exact bytes the process started with; elsewhere System.getenv(). */
    private static void recordEnvironment(Path calls, String base) throws IOException {
        Path procEnviron = Path.of("/proc/self/environ");
        if (Files.isReadable(procEnviron)) {
            Files.write(calls.resolve(base + ".env"), Files.readAllBytes(procEnviron));
            return;
        }
        ByteArrayOutputStream env = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            env.writeBytes((e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
            env.write(0);
        }
        Files.write(calls.resolve(base + ".env"), env.toByteArray());
    }

    private static void flood(OutputStream out, long bytes) throws IOException {
        byte[] zeros = new byte[64 * 1024];
        for (long left = bytes; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
