/**
 * Test doubles for code that uses llm-service. Start with {@link io.llmservice.testkit.FakeCli}.
 * The shared contract tests every implementation of an SPI must pass:
 * {@link io.llmservice.testkit.AbstractToolAdapterContractTest},
 * {@link io.llmservice.testkit.AbstractTelemetryStoreContractTest},
 * {@link io.llmservice.testkit.AbstractRoutingStrategyContractTest} and
 * {@link io.llmservice.testkit.AbstractBudgetPolicyContractTest}.
 */
package io.llmservice.testkit;
