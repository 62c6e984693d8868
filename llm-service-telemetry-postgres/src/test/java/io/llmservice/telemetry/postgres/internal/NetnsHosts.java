package io.llmservice.telemetry.postgres.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several "hosts" on one machine for multi-host tests: a Linux bridge and N network namespaces, each
 * joined to the bridge by a veth pair and given its own address, so a process started in namespace
 * {@code i} ({@link Host#command}) reaches the host only through the bridge address (where the test's
 * {@link PostgresServer} listens) and nothing else: the namespace has no default route, and its
 * {@code 127.0.0.1} is its own empty loopback.
 *
 * <pre>{@code
 * NetnsHosts.Availability can = NetnsHosts.availability();
 * if (!can.available()) { ... fall back to plain processes over loopback, and say why: can.reason() }
 * try (NetnsHosts hosts = NetnsHosts.create(4);
 *      PostgresServer pg = PostgresServer.builder().listenAddresses("127.0.0.1," + hosts.bridgeAddress()).build()) {
 *     pg.start();
 *     String url = pg.jdbcUrl(hosts.bridgeAddress(), "telemetry");  // what the hosts connect to
 *     Process p = new ProcessBuilder(hosts.host(0).command(List.of("java", "-cp", cp, "Main", url))).start();
 * }
 * }</pre>
 *
 * <p>Layout: bridge {@code lls<run>br} with {@code 10.77.X.1/24}; namespace {@code llmsvc-<pid>-<run>-<i>}
 * with {@code 10.77.X.(10+i)/24} on veth {@code lls<run>n<i>} (host end {@code lls<run>h<i>}), where
 * {@code <run>} is random per instance, {@code <pid>} is this JVM's and {@code X} a third octet that no
 * interface of the machine uses yet (chosen under a file lock, so parallel runs never share a subnet).
 * The bridge's alias records the creating PID. {@link #create} first removes namespaces and bridges of
 * ours whose creating JVM is dead (a killed test run), and a shutdown hook closes instances a test
 * forgot. Needs root and iproute2 ({@code ip}); {@link #availability()} says why not when it cannot.
 *
 * <p>Threading: {@link #create} and {@link #close} may be called from any thread; instances are immutable
 * apart from being closed.
 */
public final class NetnsHosts implements AutoCloseable {
    private static final String NS_PREFIX = "llmsvc-";
    private static final String LINK_PREFIX = "lls";
    private static final String ALIAS_PREFIX = "llm-service-netns pid=";
    private static final Pattern OUR_NAMESPACE = Pattern.compile("^" + NS_PREFIX + "(\\d+)-([0-9a-f]+)-\\d+\\b.*");
    private static final Pattern OUR_BRIDGE = Pattern.compile(
            "^\\d+: (" + LINK_PREFIX + "[0-9a-f]{4}br)[:@].*?alias " + Pattern.quote(ALIAS_PREFIX) + "(\\d+).*");
    private static final Pattern USED_OCTET = Pattern.compile("inet 10\\.77\\.(\\d+)\\.");
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "llm-service-netns.lock");
    private static final Object JVM_LOCK = new Object();

    private final String bridge;
    private final String bridgeAddress;
    private final List<Host> hosts;
    private final Thread shutdownHook;
    private boolean closed;

    /** Whether this machine can make namespaces, and if not why (for the test's skip or fallback message). */
    public record Availability(boolean available, String reason) {
    }

    /**
     * One namespace: {@code index} from 0, its {@code namespace} name and its {@code address} on the bridge.
     */
    public record Host(int index, String namespace, String address) {
        /** {@code ip netns exec <namespace> <command...>}: runs {@code command} inside this host. */
        public List<String> command(List<String> command) {
            List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            full.addAll(command);
            return full;
        }
    }

    private NetnsHosts(String bridge, String bridgeAddress, List<Host> hosts) {
        this.bridge = bridge;
        this.bridgeAddress = bridgeAddress;
        this.hosts = List.copyOf(hosts);
        this.shutdownHook = new Thread(this::closeQuietly, "NetnsHosts-shutdown-" + bridge);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Probes by making and removing a namespace and a bridge: root, {@code ip} on the PATH and the
     * capability to change the network (a container may lack CAP_NET_ADMIN) are all needed.
     */
    public static Availability availability() {
        Result id = run(List.of("id", "-u"));
        if (id.exit != 0 || !id.out.strip().equals("0")) {
            return new Availability(false, "network namespaces need root; this is uid " + id.out.strip());
        }
        Result ip = run(List.of("ip", "-V"));
        if (ip.exit != 0) {
            return new Availability(false, "no 'ip' command (package iproute2): " + ip.out.strip());
        }
        String run = randomRun();
        String ns = NS_PREFIX + ProcessHandle.current().pid() + "-" + run + "-0";
        String br = LINK_PREFIX + run + "br";
        Result addNs = run(List.of("ip", "netns", "add", ns));
        if (addNs.exit != 0) {
            return new Availability(false, "'ip netns add' failed: " + addNs.out.strip());
        }
        run(List.of("ip", "netns", "del", ns));
        Result addBr = run(List.of("ip", "link", "add", br, "type", "bridge"));
        if (addBr.exit != 0) {
            return new Availability(false, "'ip link add ... type bridge' failed: " + addBr.out.strip());
        }
        run(List.of("ip", "link", "del", br));
        return new Availability(true, "root, iproute2 and network namespaces are available");
    }

    /**
     * Creates the bridge and {@code count} namespaces (1 to 200), after removing stale ones of dead runs.
     *
     * @throws IllegalStateException when a step fails (the {@code ip} command and its output in the
     *                               message); whatever was made before is removed again
     */
    public static NetnsHosts create(int count) {
        if (count < 1 || count > 200) {
            throw new IllegalArgumentException("count " + count + " is out of range: make 1 to 200 hosts");
        }
        synchronized (JVM_LOCK) {
            try (FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                removeStale();
                return createLocked(count);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + LOCK + " to choose a subnet", e);
            }
        }
    }

    private static NetnsHosts createLocked(int count) {
        int octet = freeOctet();
        String run = randomRun();
        String pid = Long.toString(ProcessHandle.current().pid());
        String bridge = LINK_PREFIX + run + "br";
        String prefix = "10.77." + octet + ".";
        List<String> made = new ArrayList<>();
        List<Host> hosts = new ArrayList<>();
        try {
            must(List.of("ip", "link", "add", bridge, "type", "bridge"));
            made.add(bridge);
            must(List.of("ip", "link", "set", "dev", bridge, "alias", ALIAS_PREFIX + pid));
            must(List.of("ip", "addr", "add", prefix + "1/24", "dev", bridge));
            must(List.of("ip", "link", "set", "dev", bridge, "up"));
            for (int i = 0; i < count; i++) {
                String ns = NS_PREFIX + pid + "-" + run + "-" + i;
                String hostEnd = hostEnd(bridge, i);
                String nsEnd = LINK_PREFIX + run + "n" + i;
                String address = prefix + (10 + i);
                must(List.of("ip", "netns", "add", ns));
                made.add(0, "netns:" + ns);
                must(List.of("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd));
                made.add(0, hostEnd);
                must(List.of("ip", "link", "set", "dev", hostEnd, "master", bridge));
                must(List.of("ip", "link", "set", "dev", hostEnd, "up"));
                must(List.of("ip", "link", "set", "dev", nsEnd, "netns", ns));
                must(List.of("ip", "-n", ns, "link", "set", "dev", "lo", "up"));
                must(List.of("ip", "-n", ns, "addr", "add", address + "/24", "dev", nsEnd));
                must(List.of("ip", "-n", ns, "link", "set", "dev", nsEnd, "up"));
                hosts.add(new Host(i, ns, address));
            }
            return new NetnsHosts(bridge, prefix + "1", hosts);
        } catch (RuntimeException e) {
            for (String thing : made) {
                run(thing.startsWith("netns:") ? List.of("ip", "netns", "del", thing.substring(6))
                        : List.of("ip", "link", "del", thing));
            }
            throw e;
        }
    }

    /** The host side of the bridge, e.g. {@code 10.77.3.1}: let the server listen here. */
    public String bridgeAddress() {
        return bridgeAddress;
    }

    /** The bridge's interface name. */
    public String bridge() {
        return bridge;
    }

    /** The namespaces, by index. */
    public List<Host> hosts() {
        return hosts;
    }

    /** Namespace {@code i}. */
    public Host host(int i) {
        return hosts.get(i);
    }

    /**
     * Removes every namespace (their veth pairs go with them) and the bridge; idempotent. Processes still
     * running inside a namespace keep it alive until they exit: stop them first.
     *
     * @throws IllegalStateException naming what could not be removed
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        for (Host h : hosts) {
            // The veth first: a namespace is destroyed asynchronously by the kernel, and its veth pair
            // with it, some time after 'ip netns del' returns; deleting one end removes both at once.
            Result veth = run(List.of("ip", "link", "del", hostEnd(bridge, h.index())));
            if (veth.exit != 0) {
                failures.add("ip link del " + hostEnd(bridge, h.index()) + ": " + veth.out.strip());
            }
            Result r = run(List.of("ip", "netns", "del", h.namespace()));
            if (r.exit != 0) {
                failures.add("ip netns del " + h.namespace() + ": " + r.out.strip());
            }
        }
        Result r = run(List.of("ip", "link", "del", bridge));
        if (r.exit != 0) {
            failures.add("ip link del " + bridge + ": " + r.out.strip());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: this is the hook
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not remove all test namespaces: " + failures
                    + "; remove them by hand with the same commands");
        }
    }

    @Override
    public String toString() {
        return "NetnsHosts[" + bridge + " " + bridgeAddress + ", " + hosts + "]";
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // at JVM exit there is nobody left to tell
        }
    }

    /** Namespaces and bridges named like ours whose creating JVM no longer runs. */
    private static void removeStale() {
        for (String line : run(List.of("ip", "netns", "list")).out.lines().toList()) {
            Matcher m = OUR_NAMESPACE.matcher(line);
            if (m.matches() && !alive(m.group(1))) {
                run(List.of("ip", "netns", "del", line.split(" ")[0]));
            }
        }
        for (String line : run(List.of("ip", "-o", "link", "show", "type", "bridge")).out.lines().toList()) {
            Matcher m = OUR_BRIDGE.matcher(line);
            if (m.matches() && !alive(m.group(2))) {
                run(List.of("ip", "link", "del", m.group(1)));
            }
        }
    }

    private static String hostEnd(String bridge, int index) {
        return bridge.substring(0, bridge.length() - 2) + "h" + index;
    }

    private static boolean alive(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    private static int freeOctet() {
        Set<Integer> used = new HashSet<>();
        Matcher m = USED_OCTET.matcher(must(List.of("ip", "-o", "-4", "addr", "show")));
        while (m.find()) {
            used.add(Integer.parseInt(m.group(1)));
        }
        List<Integer> free = new ArrayList<>();
        for (int o = 1; o <= 254; o++) {
            if (!used.contains(o)) {
                free.add(o);
            }
        }
        if (free.isEmpty()) {
            throw new IllegalStateException("every subnet 10.77.1-254.0/24 is in use on this machine: "
                    + "remove stale test bridges (ip -o link show type bridge)");
        }
        return free.get(new SecureRandom().nextInt(free.size()));
    }

    private static String randomRun() {
        byte[] b = new byte[2];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String must(List<String> cmd) {
        Result r = run(cmd);
        if (r.exit != 0) {
            throw new IllegalStateException("'" + String.join(" ", cmd) + "' failed (exit " + r.exit + "): "
                    + r.out.strip());
        }
        return r.out;
    }

    private record Result(int exit, String out) {
    }

    private static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after 30 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
