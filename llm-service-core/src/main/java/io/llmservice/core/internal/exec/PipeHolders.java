package io.llmservice.core.internal.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the processes that hold a child's output pipes, through Linux's {@code /proc}: the
 * identity of a pipe is the target of its {@code /proc/<pid>/fd/<n>} link ({@code pipe:[inode]}).
 *
 * <pre>{@code
 * Optional<Set<String>> pipes = PipeHolders.outputPipesOf(process.pid());  // right after start
 * ...
 * List<ProcessHandle> holders = PipeHolders.holdersOf(pipes.get());        // who keeps them open
 * }</pre>
 *
 * <p>Used by the process runner to read a child's output on the calling thread: a blocking read
 * of a pipe cannot be interrupted in Java, so if an unknown process (an orphaned grandchild)
 * keeps a pipe open after the tool exited, the runner finds it here and kills it.
 *
 * <p>Stateless and thread-safe. Processes of other users (whose {@code fd} directory cannot be
 * read) are not seen.
 */
final class PipeHolders {

    private static final Path PROC = Path.of("/proc");
    private static final boolean AVAILABLE = Files.isDirectory(PROC.resolve("self").resolve("fd"));

    private PipeHolders() {
    }

    /** Whether this system has a {@code /proc} with fd links (Linux). */
    static boolean available() {
        return AVAILABLE;
    }

    /**
     * The identities of the pipes on the process's stdout and stderr, or empty when it is gone
     * already, either is not a pipe, or there is no {@code /proc}.
     */
    static Optional<Set<String>> outputPipesOf(long pid) {
        if (!AVAILABLE) {
            return Optional.empty();
        }
        Path fds = PROC.resolve(Long.toString(pid)).resolve("fd");
        try {
            String out = Files.readSymbolicLink(fds.resolve("1")).toString();
            String err = Files.readSymbolicLink(fds.resolve("2")).toString();
            if (!out.startsWith("pipe:") || !err.startsWith("pipe:")) {
                return Optional.empty();
            }
            // One pipe for both when the tool sent stderr to stdout (2>&1).
            return Optional.of(out.equals(err) ? Set.of(out) : Set.of(out, err));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** Every process other than this JVM that has one of {@code pipes} open; a scan of {@code /proc}. */
    static List<ProcessHandle> holdersOf(Set<String> pipes) {
        List<ProcessHandle> holders = new ArrayList<>();
        if (!AVAILABLE || pipes.isEmpty()) {
            return holders;
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                long pid;
                try {
                    pid = Long.parseLong(process.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != self && holds(process, pipes)) {
                    ProcessHandle.of(pid).ifPresent(holders::add);
                }
            }
        } catch (IOException | SecurityException e) {
            // /proc vanished or is unreadable: nothing found.
        }
        return holders;
    }

    private static boolean holds(Path process, Set<String> pipes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (pipes.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // The fd closed meanwhile.
                }
            }
        } catch (IOException | SecurityException e) {
            // Exited meanwhile, or another user's process.
        }
        return false;
    }
}
