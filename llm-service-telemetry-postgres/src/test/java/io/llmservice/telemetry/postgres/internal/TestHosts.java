package io.llmservice.telemetry.postgres.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The "hosts" of a multi-host test: one network namespace each ({@link NetnsHosts}) where this machine
 * allows it, otherwise plain processes over loopback; {@link #description()} says which and why, for
 * the test to print. The test starts its {@link PostgresServer} on {@link #serverListenAddresses()} and
 * points every host at {@link #serverAddress()}.
 *
 * <pre>{@code
 * try (TestHosts hosts = TestHosts.create(4);
 *      PostgresServer pg = PostgresServer.builder().listenAddresses(hosts.serverListenAddresses()).build()) {
 *     System.out.println(hosts.description());
 *     pg.start();
 *     String url = pg.jdbcUrl(hosts.serverAddress(), "telemetry");
 *     Process p = new ProcessBuilder(hosts.java(0, HostMain.class, List.of(url))).start();
 * }
 * }</pre>
 *
 * <p>Not thread-safe to close concurrently with use; commands may be built from any thread.
 */
public final class TestHosts implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";

    private final int count;
    private final Optional<NetnsHosts> namespaces;
    private final String description;

    private TestHosts(int count, Optional<NetnsHosts> namespaces, String description) {
        this.count = count;
        this.namespaces = namespaces;
        this.description = description;
    }

    /** {@code count} hosts in network namespaces when {@link NetnsHosts#availability()} allows, else on loopback. */
    public static TestHosts create(int count) {
        NetnsHosts.Availability can = NetnsHosts.availability();
        if (!can.available()) {
            return loopback(count, can.reason());
        }
        NetnsHosts hosts = NetnsHosts.create(count);
        return new TestHosts(count, Optional.of(hosts), count + " hosts in network namespaces "
                + hosts.hosts().stream().map(NetnsHosts.Host::address).toList() + ", server on the bridge "
                + hosts.bridgeAddress());
    }

    /** {@code count} plain processes over loopback, {@code why} going into {@link #description()}. */
    public static TestHosts loopback(int count, String why) {
        if (count < 1) {
            throw new IllegalArgumentException("count " + count + " is out of range: make at least 1 host");
        }
        return new TestHosts(count, Optional.empty(), count + " hosts as plain processes over loopback (no "
                + "network namespaces: " + why + ")");
    }

    /** Whether each host has its own network namespace and address. */
    public boolean isolated() {
        return namespaces.isPresent();
    }

    /** What the hosts are, and why not namespaces when they are not. */
    public String description() {
        return description;
    }

    /** How many hosts. */
    public int size() {
        return count;
    }

    /** For {@link PostgresServer.Builder#listenAddresses(String)}: loopback, plus the bridge when isolated. */
    public String serverListenAddresses() {
        return namespaces.map(n -> LOOPBACK + "," + n.bridgeAddress()).orElse(LOOPBACK);
    }

    /** The address the hosts reach the server on: the bridge, or loopback. */
    public String serverAddress() {
        return namespaces.map(NetnsHosts::bridgeAddress).orElse(LOOPBACK);
    }

    /** Host {@code host}'s own address as the server sees it. */
    public String address(int host) {
        check(host);
        return namespaces.map(n -> n.host(host).address()).orElse(LOOPBACK);
    }

    /** {@code command} run as host {@code host} (inside its namespace when isolated). */
    public List<String> command(int host, List<String> command) {
        check(host);
        return namespaces.map(n -> n.host(host).command(command)).orElseGet(() -> List.copyOf(command));
    }

    /** A JVM running {@code main} with this JVM's class path (the test's), as host {@code host}. */
    public List<String> java(int host, Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        return command(host, cmd);
    }

    /** Removes the namespaces, if any; processes inside must have exited. */
    @Override
    public void close() {
        namespaces.ifPresent(NetnsHosts::close);
    }

    @Override
    public String toString() {
        return "TestHosts[" + description + "]";
    }

    private void check(int host) {
        if (host < 0 || host >= count) {
            throw new IndexOutOfBoundsException("host " + host + " does not exist: there are " + count + " (0 to "
                    + (count - 1) + ")");
        }
    }
}
