package org.personalab.store;

/** A workspace could not be read or written; the message names the workspace and what failed. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
