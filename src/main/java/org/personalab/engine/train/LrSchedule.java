package org.personalab.engine.train;

/**
 * The learning rate at each optimizer step, as Hugging Face's schedulers compute it: linear warm-up from 0 over
 * {@code warmup} steps, then constant or linear decay to 0 at {@code total} ({@code get_linear_schedule_with_warmup}).
 */
public record LrSchedule(double peak, int warmup, int total, String type) {

    /** The rate used by optimizer step {@code step} (0-based). */
    public double at(int step) {
        if (type.equals("constant")) {
            return peak;
        }
        if (step < warmup) {
            return peak * step / Math.max(1, warmup);
        }
        if (type.equals("constant_with_warmup")) {
            return peak;
        }
        return peak * Math.max(0.0, (double) (total - step) / Math.max(1, total - warmup));
    }
}
