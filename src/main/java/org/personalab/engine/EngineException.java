package org.personalab.engine;

/**
 * A model folder, weight file, tokenizer or template cannot be used. The message names the file and, where there is
 * one, the field or tensor that is wrong, so a user can fix the folder without reading our code.
 */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
