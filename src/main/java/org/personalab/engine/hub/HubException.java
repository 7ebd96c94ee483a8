package org.personalab.engine.hub;

/**
 * The hub refused, could not be reached, or sent something that failed verification. The message says what to do
 * (set HF_TOKEN, accept a licence, check the name, point at a local folder) and never contains the token.
 */
public class HubException extends RuntimeException {

    /** What went wrong, for callers that react differently (the UI offers "choose a local folder" when offline). */
    public enum Reason {
        /** HTTP 401: no token, a refused token, or (on the hub) a private repository. */
        UNAUTHORIZED,
        /** HTTP 403 or a gated repository: the licence must be accepted on the hub. */
        FORBIDDEN,
        /** HTTP 404: no such repository, revision or file. */
        NOT_FOUND,
        /** Name resolution, connection or timeouts failed, even after retries. */
        UNREACHABLE,
        /** 5xx or other unexpected HTTP status after retries. */
        SERVER,
        /** A downloaded file's size or hash does not match what the hub lists. */
        CHECKSUM,
        /** The hub's answer or the target folder cannot be used. */
        INVALID
    }

    private final Reason reason;

    public HubException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public HubException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
