package org.personalab.task;

import java.util.HashSet;
import java.util.Set;

/** Human-readable failure chains: "message (caused by: ...)". */
public final class Failures {

    private Failures() {
    }

    public static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        Throwable c = t;
        while (c != null && seen.add(c)) {
            String m = c.getMessage();
            String part = m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
            if (sb.length() > 0) {
                if (sb.indexOf(part) >= 0) {
                    c = c.getCause();
                    continue;
                }
                sb.append(" (caused by: ");
            }
            sb.append(part);
            c = c.getCause();
        }
        int open = countOf(sb, "(caused by: ");
        sb.append(")".repeat(open));
        return sb.toString();
    }

    private static int countOf(CharSequence s, String sub) {
        int n = 0;
        String str = s.toString();
        for (int i = str.indexOf(sub); i >= 0; i = str.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
