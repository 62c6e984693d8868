package io.llmservice.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git commit this jar was built from, read from {@code build-info.properties}
 * (filtered by Maven at build time; the commit is {@code unknown} outside a git checkout), and the
 * Java runtime running it.
 *
 * @param version the project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit  the full commit id, or {@code unknown}
 */
record BuildInfo(String version, String commit) {
    private static final String RESOURCE = "build-info.properties";

    static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the llm-service jar", e);
        }
        return new BuildInfo(known(p.getProperty("version")), known(p.getProperty("commit")));
    }

    /** {@code 17.0.15+6 (Debian, OpenJDK 64-Bit Server VM)}. */
    static String java() {
        return Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ", "
                + System.getProperty("java.vm.name", "unknown VM") + ")";
    }

    /** An unfiltered placeholder (a build that skipped filtering) counts as unknown. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value.strip();
    }

    /** {@code llm-service --version}. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        public VersionProvider() {
        }

        @Override
        public String[] getVersion() {
            BuildInfo info = load();
            return new String[]{"llm-service " + info.version(), "commit " + info.commit(), "java " + java()};
        }
    }
}
