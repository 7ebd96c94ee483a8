package org.personalab.ui.training;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a growing {@code events.jsonl}: each {@link #poll()} returns the complete lines written since the last one
 * (a line still being written waits for its newline). Missing file = nothing yet.
 */
final class EventTail {

    private final Path file;
    private long offset;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /** @param offset where to start reading (0 for the whole file, the current size for only what is new) */
    EventTail(Path file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    /** The file's current size (0 when it does not exist yet). */
    static long size(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    List<String> poll() throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < offset) {
                offset = 0; // replaced by a shorter file: read it anew
                partial.reset();
            }
            ch.position(offset);
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            int n;
            while ((n = ch.read(buf)) > 0) {
                offset += n;
                byte[] a = buf.array();
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (a[i] == '\n') {
                        partial.write(a, start, i - start);
                        lines.add(partial.toString(StandardCharsets.UTF_8).strip());
                        partial.reset();
                        start = i + 1;
                    }
                }
                partial.write(a, start, n - start);
                buf.clear();
            }
        }
        return lines;
    }
}
