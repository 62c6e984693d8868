package io.llmservice.acceptance;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

/**
 * Runs every scenario under {@code src/test/resources/features} with Cucumber on the JUnit
 * Platform, after the CLI jar is packaged (failsafe, {@code verify}). Reports:
 * {@code target/cucumber-report.html} and {@code target/cucumber.json}.
 *
 * <pre>{@code
 * ./mvnw -B -pl llm-service-acceptance -am verify
 * }</pre>
 */
@Suite
@IncludeEngines("cucumber")
// the feature files are classpath resources under features/; Cucumber selects a resource folder by package
@SelectPackages("features")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "io.llmservice.acceptance")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME,
        value = "summary, html:target/cucumber-report.html, json:target/cucumber.json")
public class AcceptanceIT {
}
