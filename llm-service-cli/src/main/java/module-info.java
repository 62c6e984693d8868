/**
 * The {@code llm-service} command line: a thin picocli front end that does everything through
 * the public API ({@code io.llmservice}); the implementation is found at run time through
 * {@link java.util.ServiceLoader}. Exports nothing.
 */
module io.llmservice.cli {
    requires io.llmservice.api;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires org.slf4j.simple;

    provides org.slf4j.spi.SLF4JServiceProvider with io.llmservice.cli.CliLogProvider;

    // picocli instantiates mixins and writes the annotated option fields.
    opens io.llmservice.cli to info.picocli;
}
