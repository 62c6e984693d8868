package io.llmservice;

/**
 * The telemetry store could not be reached: its server is down or unreachable, its connection broke,
 * or no connection could be made within {@code connect_timeout}. Code {@link
 * ErrorCode#TELEMETRY_STORE}, like every other store failure; only this kind lets a soft budget run
 * unmetered ({@code policies.telemetry.when_down: run}). A store that answers but fails (a lock
 * wait that kept timing out, a pool whose connections are all busy, a schema or constraint error)
 * throws a plain {@link LlmServiceException} with that code instead.
 *
 * <pre>{@code
 * } catch (StoreUnreachableException down) {
 *     // the server is down or the network is: retry later
 * } catch (LlmServiceException e) {
 *     // anything else, including other store failures
 * }
 * }</pre>
 *
 * <p>Immutable and safe to share between threads.
 */
public class StoreUnreachableException extends LlmServiceException {
    private static final long serialVersionUID = 1L;

    public StoreUnreachableException(String message, Throwable cause) {
        super(ErrorCode.TELEMETRY_STORE, message, cause);
    }
}
