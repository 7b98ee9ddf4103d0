package dev.pulse.events;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one input record as text (SPEC §1 "Bytes"): decoded strictly as UTF-8, never with replacement
 * characters, because a silently replaced byte changes a value (a new payment method) or merges two event ids.
 * Text that must be stored but cannot be trusted (dead-letter payloads and reasons) is escaped so that
 * PostgreSQL accepts it: each invalid byte as {@code \xNN}, U+0000 as {@code \x00}, an unpaired surrogate as
 * backslash, u and its hex code (U+D800 as six characters).
 */
public final class RecordText {
    private RecordText() {}

    /** Thrown by {@link #decode} with the offset of the first byte that is not UTF-8. */
    public static final class NotUtf8 extends Exception {
        public final int offset;

        NotUtf8(int offset) {
            super("not UTF-8 at byte " + offset, null, false, false);
            this.offset = offset;
        }
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Decodes {@code len} bytes strictly. */
    public static String decode(byte[] bytes, int off, int len) throws NotUtf8 {
        // The JDK's decoder is fast; a replacement character in its result is either written in the input
        // (valid) or stands for a bad byte, which only the strict decoder below can tell apart.
        String text = new String(bytes, off, len, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        CharsetDecoder strict = strictDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes, off, len);
        try {
            return strict.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new NotUtf8(firstInvalid(bytes, off, len));
        }
    }

    /** Offset (from {@code off}) of the first byte that does not start a valid UTF-8 sequence; -1 if none. */
    static int firstInvalid(byte[] bytes, int off, int len) {
        CharsetDecoder strict = strictDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes, off, len);
        CharBuffer out = CharBuffer.allocate(Math.max(16, len));
        CoderResult r = strict.decode(in, out, true);
        return r.isError() ? in.position() - off : -1;
    }

    /** The bytes as text, each byte that is not valid UTF-8 written as {@code \xNN}; U+0000 as {@code \x00}. */
    public static String escaped(byte[] bytes, int off, int len) {
        CharsetDecoder strict = strictDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes, off, len);
        CharBuffer out = CharBuffer.allocate(Math.max(16, len));
        StringBuilder sb = new StringBuilder(len + 16);
        while (true) {
            CoderResult r = strict.decode(in, out, true);
            out.flip();
            sb.append(out);
            out.clear();
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    sb.append(String.format("\\x%02X", in.get() & 0xFF));
                }
            } else if (r.isUnderflow()) {
                break;
            }
        }
        return storable(sb);
    }

    /** Text PostgreSQL can store: U+0000 as {@code \x00}, unpaired surrogates as backslash-u and four hex digits. */
    public static String storable(CharSequence text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = null;
            if (c == '\0') {
                replacement = "\\x00";
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (sb != null) {
                        sb.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                replacement = String.format("\\u%04X", (int) c);
            } else if (Character.isLowSurrogate(c)) {
                replacement = String.format("\\u%04X", (int) c);
            }
            if (replacement != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (replacement != null) {
                    sb.append(replacement);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text.toString() : sb.toString();
    }

    /** Why {@code value} cannot be stored as PostgreSQL text, or null when it can. */
    public static String unstorable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return "contains U+0000, which PostgreSQL text cannot hold";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("contains an unpaired surrogate \\u%04X (not Unicode text)", (int) c);
            }
        }
        return null;
    }

    /** JSON whitespace only (space, tab, CR, LF): a JSONL line holding nothing else is no record. */
    public static boolean isJsonBlank(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
