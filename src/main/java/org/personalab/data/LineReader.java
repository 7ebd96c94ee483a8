package org.personalab.data;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a file as lines of bytes without creating objects per line: after {@link #next()}, the line is
 * {@code buffer()[start() .. end())} with its LF or CRLF removed. A UTF-8 byte order mark at the start of the file is
 * skipped. The last line may lack its newline. Lines longer than the buffer make it grow.
 */
final class LineReader implements Closeable {

    static final int DEFAULT_BUFFER = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LF8 = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final FileChannel channel;
    private final long size;
    private byte[] buf;
    private ByteBuffer view;
    /** File offset of buf[0]. */
    private long bufOffset;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean started;
    private boolean utf16;
    private long line;
    private int start;
    private int end;
    private boolean crlf;
    private int bom;

    LineReader(Path file, int bufferSize) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.READ);
        size = channel.size();
        buf = new byte[Math.max(4096, bufferSize)];
        view = ByteBuffer.wrap(buf);
    }

    /** File size in bytes at opening. */
    long size() {
        return size;
    }

    /** File size without the byte order mark. */
    long contentSize() {
        return size - bom;
    }

    /** True when the current line ended with CR LF. */
    boolean crlf() {
        return crlf;
    }

    /** Bytes consumed so far (for progress). */
    long position() {
        return bufOffset + pos;
    }

    /** True when the file starts with a UTF-16 byte order mark (known after the first {@link #next()}). */
    boolean utf16() {
        return utf16;
    }

    /** True when the file has no content besides an optional UTF-8 byte order mark. */
    boolean isEmpty() throws IOException {
        startOnce();
        while (pos >= limit && !eof) {
            fill();
        }
        return pos >= limit;
    }

    /** Advances to the next line; false at the end of the file. */
    boolean next() throws IOException {
        startOnce();
        int scan = pos;
        while (true) {
            int nl = indexOfLf(buf, scan, limit);
            if (nl >= 0) {
                start = pos;
                crlf = nl > pos && buf[nl - 1] == '\r';
                end = crlf ? nl - 1 : nl;
                pos = nl + 1;
                line++;
                return true;
            }
            if (eof) {
                if (pos >= limit) {
                    return false;
                }
                start = pos;
                crlf = buf[limit - 1] == '\r';
                end = crlf ? limit - 1 : limit;
                pos = limit;
                line++;
                return true;
            }
            scan = limit - pos;
            fill();
        }
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    int length() {
        return end - start;
    }

    /** 1-based number of the current line. */
    long lineNumber() {
        return line;
    }

    private void startOnce() throws IOException {
        if (started) {
            return;
        }
        started = true;
        while (!eof && limit < 3) {
            fill();
        }
        if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
            pos = 3;
            bom = 3;
        } else if (limit >= 2 && ((buf[0] & 0xFF) == 0xFE && (buf[1] & 0xFF) == 0xFF
                || (buf[0] & 0xFF) == 0xFF && (buf[1] & 0xFF) == 0xFE)) {
            utf16 = true;
        }
    }

    /** Moves the unread bytes to the front (growing the buffer when it is full) and reads more. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            bufOffset += pos;
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
            view = ByteBuffer.wrap(buf);
        }
        view.limit(buf.length).position(limit);
        int n = channel.read(view);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    /** The first LF in {@code b[from..to)}, or -1; eight bytes at a time (a zero byte of {@code x ^ 0x0A..}). */
    private static int indexOfLf(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ LF8;
            long zero = (x - ONES) & ~x & HIGH_BITS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
