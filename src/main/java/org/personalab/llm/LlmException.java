package org.personalab.llm;

/**
 * A chat call or its configuration failed. Messages name the provider, model and what went wrong, and never
 * contain an API key.
 */
public class LlmException extends RuntimeException {

    public LlmException(String message) {
        super(message);
    }

    public LlmException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The provider answered with an HTTP error status. */
    public static final class HttpStatus extends LlmException {
        private final int status;
        private final java.time.Duration retryAfter;

        public HttpStatus(String message, int status, java.time.Duration retryAfter) {
            super(message);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        public int status() {
            return status;
        }

        /** The wait the provider asked for (Retry-After), or null. */
        public java.time.Duration retryAfter() {
            return retryAfter;
        }
    }

    /** A run's money cap would be exceeded by the next call; nothing was sent. */
    public static final class BudgetExceeded extends LlmException {
        public BudgetExceeded(String message) {
            super(message);
        }
    }

    /** The provider's circuit breaker is open after repeated failures; nothing was sent. */
    public static final class CircuitOpen extends LlmException {
        public CircuitOpen(String message) {
            super(message);
        }
    }
}
