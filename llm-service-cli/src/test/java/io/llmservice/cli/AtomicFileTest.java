package io.llmservice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX permissions and hard links")
class AtomicFileTest {
    @TempDir
    Path tmp;

    private String[] names() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void write_newFile_inANewDirectory_hasTheDefaultPermissions() throws Exception {
        Path reference = Files.createFile(tmp.resolve("reference"));   // the umask's mode, as any new file
        AtomicFile.write(tmp.resolve("out/report.html"), "<!DOCTYPE html>");

        assertThat(tmp.resolve("out/report.html")).hasContent("<!DOCTYPE html>");
        assertThat(Files.getPosixFilePermissions(tmp.resolve("out/report.html")))
                .isEqualTo(Files.getPosixFilePermissions(reference));
    }

    @Test
    void write_existingFile_isReplacedNotTruncated_andKeepsItsMode() throws Exception {
        Path file = Files.writeString(tmp.resolve("spend.csv"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createLink(tmp.resolve("yesterday.csv"), file);

        AtomicFile.write(file, "new");

        assertThat(file).hasContent("new");
        assertThat(link).as("a new file moved into place; the old one, still linked, is untouched").hasContent("old");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(names()).containsExactly("spend.csv", "yesterday.csv");
    }

    @Test
    void write_contentFails_leavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("report.html"), "old");

        assertThatThrownBy(() -> AtomicFile.write(file, w -> {
            w.write("half a pa");
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(file).hasContent("old");
        assertThat(names()).containsExactly("report.html");
    }
}
