/**
 * Test doubles for code that uses llm-service. Start with {@link io.llmservice.testkit.FakeCli}.
 */
package io.llmservice.testkit;
