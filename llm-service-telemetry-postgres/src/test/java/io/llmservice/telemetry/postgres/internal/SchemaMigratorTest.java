package io.llmservice.telemetry.postgres.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** SCHEMA_VERSION and TABLES are kept in step with the scripts under db/postgresql. */
class SchemaMigratorTest {

    private static List<Path> scripts() throws IOException, URISyntaxException {
        Path dir = Path.of(SchemaMigrator.class.getClassLoader().getResource("db/postgresql").toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("V\\d+__\\w+\\.sql")).sorted().toList();
        }
    }

    @Test
    void schemaVersion_isTheNewestScript() throws Exception {
        int newest = 0;
        for (Path p : scripts()) {
            String name = p.getFileName().toString();
            newest = Math.max(newest, Integer.parseInt(name.substring(1, name.indexOf("__"))));
        }
        assertThat(SchemaMigrator.SCHEMA_VERSION).isEqualTo(newest);
    }

    @Test
    void tables_areTheTablesTheScriptsCreate_andNoneIsH2Only() throws Exception {
        List<String> created = new ArrayList<>();
        Pattern create = Pattern.compile("CREATE TABLE (\\w+)");
        StringBuilder all = new StringBuilder();
        for (Path p : scripts()) {
            String sql = Files.readString(p).replaceAll("--[^\n]*", "");
            all.append(sql);
            Matcher m = create.matcher(sql);
            while (m.find()) {
                created.add(m.group(1));
            }
        }
        assertThat(created).containsExactlyInAnyOrderElementsOf(SchemaMigrator.TABLES);
        assertThat(created).doesNotContain("store_mark", "invocation_stat_backfill");
        assertThat(all.toString().toUpperCase(Locale.ROOT)).doesNotContain("VARBINARY", "CHARACTER LARGE OBJECT",
                "DECIMAL(", "ADD COLUMN (");
    }
}
