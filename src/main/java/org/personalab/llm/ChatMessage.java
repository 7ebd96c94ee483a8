package org.personalab.llm;

/** One message of a chat: role {@code system}, {@code user} or {@code assistant}, and its text. */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        if (!("system".equals(role) || "user".equals(role) || "assistant".equals(role))) {
            throw new IllegalArgumentException("message role must be system, user or assistant, not '" + role + "'");
        }
        if (content == null) {
            throw new IllegalArgumentException("a " + role + " message needs content");
        }
    }

    public static ChatMessage system(String text) {
        return new ChatMessage("system", text);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage("user", text);
    }

    public static ChatMessage assistant(String text) {
        return new ChatMessage("assistant", text);
    }
}
