package io.llmservice.core.internal.exec;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Identifying a child's output pipes and their holders through {@code /proc}, on real processes. */
class PipeHoldersIT {

    @BeforeEach
    void needsProc() {
        Assumptions.assumeTrue(PipeHolders.available(), "no /proc on this system");
    }

    @Test
    void outputPipesOf_stderrSentToStdout_isTheOnePipe() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "exec 2>&1; exec sleep 30").start();
        try {
            Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!Files.readSymbolicLink(fds.resolve("2")).equals(Files.readSymbolicLink(fds.resolve("1")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            String stdout = Files.readSymbolicLink(fds.resolve("1")).toString();

            assertThat(PipeHolders.outputPipesOf(p.pid())).contains(Set.of(stdout));
            assertThat(PipeHolders.holdersOf(Set.of(stdout))).extracting(ProcessHandle::pid).containsExactly(p.pid());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void outputPipesOf_separatePipes_areBoth_andAGoneProcessHasNone() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        Optional<Set<String>> pipes;
        try {
            pipes = PipeHolders.outputPipesOf(p.pid());
            assertThat(pipes).hasValueSatisfying(s -> assertThat(s).hasSize(2).allMatch(id -> id.startsWith("pipe:")));
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertThat(PipeHolders.outputPipesOf(p.pid())).isEmpty();
        assertThat(PipeHolders.holdersOf(pipes.orElseThrow())).isEmpty();
    }
}
