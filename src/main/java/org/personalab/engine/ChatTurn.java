package org.personalab.engine;

/** One message given to a chat template: role ({@code system}, {@code user}, {@code assistant}, …) and text. */
public record ChatTurn(String role, String content) {

    public ChatTurn {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("a chat message needs a role");
        }
        if (content == null) {
            throw new IllegalArgumentException("a " + role + " message needs content");
        }
    }
}
