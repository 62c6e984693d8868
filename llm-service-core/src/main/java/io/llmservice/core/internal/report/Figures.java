package io.llmservice.core.internal.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/** How the report writes numbers: dollars, token counts and latencies. Stateless. */
final class Figures {
    private Figures() {
    }

    /** {@code $12.34}, or four decimals below a dollar ({@code $0.0042}). */
    static String usd(BigDecimal v) {
        int scale = v.abs().compareTo(BigDecimal.ONE) >= 0 ? 2 : 4;
        return "$" + v.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    static String usd(double v) {
        return usd(BigDecimal.valueOf(v));
    }

    /** {@code 1,234,567}. */
    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Seconds with two decimals: {@code 4.20 s}. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    /** An axis label: short, for any magnitude. */
    static String axis(double v, String unit) {
        String n;
        double a = Math.abs(v);
        if (a >= 1e9) {
            n = trim(v / 1e9) + "G";
        } else if (a >= 1e6) {
            n = trim(v / 1e6) + "M";
        } else if (a >= 1e3) {
            n = trim(v / 1e3) + "k";
        } else {
            n = trim(v);
        }
        return unit.equals("$") ? "$" + n : n + unit;
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
