/**
 * Runs a tool's binary as a subprocess, safely: an argument array and never a shell, a declared
 * environment, both pipes drained concurrently with a cap, and a timeout, cancellation or
 * interrupt that kills the whole process tree.
 *
 * <p>Internal: not exported by the module. The CLI adapter is the only caller.
 */
package io.llmservice.core.internal.exec;
