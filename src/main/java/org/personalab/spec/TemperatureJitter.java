package org.personalab.spec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * The sampling temperature of one sample of one person's spec: the run's temperature T times (1 + u), u uniform in
 * [-{@value #FRACTION}, +{@value #FRACTION}] (the paper's ±10 %; the seed code used ±0.05 absolute instead). u comes
 * from a generator seeded with SHA-256 of (run seed, person id, sample index), so the same run asks the same
 * temperatures on any machine, a resumed run asks exactly what it asked before (and finds it cached), and no two
 * people or samples share a draw by accident. Values are rounded to 4 decimals (stable request hashes, readable
 * records), kept within the ±10 % band and within the API range [0, {@value #MAX}].
 */
public final class TemperatureJitter {

    /** Relative half-width of the jitter band. */
    public static final double FRACTION = 0.10;
    /** Highest temperature the chat APIs accept. */
    public static final double MAX = 2.0;

    private TemperatureJitter() {
    }

    /** The jittered temperature for {@code person}'s sample {@code sample} in a run with {@code seed}. */
    public static double of(double base, long seed, String person, int sample) {
        if (!(base >= 0 && base <= MAX)) {
            throw new IllegalArgumentException("temperature must be between 0 and " + MAX + ", not " + base);
        }
        double u = (new SplittableRandom(seedOf(seed, person, sample)).nextDouble() * 2 - 1) * FRACTION;
        double t = Math.round(base * (1 + u) * 10_000) / 10_000.0;
        double lo = base * (1 - FRACTION);
        double hi = base * (1 + FRACTION);
        return Math.min(MAX, Math.max(lo, Math.min(hi, t)));
    }

    static long seedOf(long seed, String person, int sample) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("temperature-jitter\u0000" + seed + "\u0000" + person + "\u0000" + sample)
                    .getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(md.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
