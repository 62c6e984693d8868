/**
 * What-if replay ({@code LlmService.whatIf}, {@code llm-service whatif}): re-decides recorded requests under
 * another configuration without running anything, and re-prices them.
 */
package io.llmservice.core.internal.whatif;
