package dev.tollgate.billing.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** USD amounts in mails: cents from one dollar up, four decimals below (usage is often fractions of a cent). */
final class Money {

    private Money() {
    }

    static String usd(BigDecimal v) {
        BigDecimal abs = v.abs();
        int scale = abs.compareTo(BigDecimal.ONE) >= 0 || abs.signum() == 0 ? 2 : 4;
        return "$" + v.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
