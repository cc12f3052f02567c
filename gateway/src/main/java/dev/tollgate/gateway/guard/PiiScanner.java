package dev.tollgate.gateway.guard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data and secrets in text: e-mail addresses; phone numbers (9–15 digits written
 * with a leading {@code +} or separators, so that plain numbers and dates are left alone);
 * payment card numbers (13–19 digits passing the Luhn check); IBANs (passing the ISO 7064
 * mod-97 check); national ids (US social security numbers, UK national insurance numbers); and
 * API keys by their well-known prefixes (OpenAI and Anthropic {@code sk-}, Tollgate {@code tg_},
 * AWS {@code AKIA}, GitHub {@code ghp_} and siblings, Slack {@code xox?-}, Google {@code AIza}).
 * Categories are tried in {@link PiiCategory} order and a span is claimed by the first that
 * matches it, so a key is never also reported as a phone number.
 */
public final class PiiScanner {

    /** One finding: its category and where it is. */
    public record Finding(PiiCategory category, int start, int end) {
    }

    private static final Pattern SECRET = Pattern.compile(
            "(?<![A-Za-z0-9_-])(?:sk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,}|tg_[A-Za-z0-9]{12}_[A-Za-z0-9]{20,}"
                    + "|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})");
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern IBAN = Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])");
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    private static final Pattern SSN = Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])");
    private static final Pattern UK_NINO = Pattern.compile(
            "(?<![A-Za-z0-9])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D](?![A-Za-z0-9])");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{1,4}){1,5}(?![\\w])");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern SSN_SHAPE = Pattern.compile("\\d{3}-\\d{2}-\\d{4}");

    private PiiScanner() {
    }

    /** Every finding, in text order, without overlaps. */
    public static List<Finding> scan(String text) {
        List<Finding> found = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return found;
        }
        collect(text, SECRET, PiiCategory.SECRET, found);
        collect(text, EMAIL, PiiCategory.EMAIL, found);
        Matcher m = IBAN.matcher(text);
        while (m.find()) {
            if (validIban(m.group())) {
                claim(found, new Finding(PiiCategory.IBAN, m.start(), m.end()));
            }
        }
        m = CARD.matcher(text);
        while (m.find()) {
            if (luhn(m.group())) {
                claim(found, new Finding(PiiCategory.CARD, m.start(), m.end()));
            }
        }
        collect(text, SSN, PiiCategory.NATIONAL_ID, found);
        collect(text, UK_NINO, PiiCategory.NATIONAL_ID, found);
        m = PHONE.matcher(text);
        while (m.find()) {
            if (phone(m.group())) {
                claim(found, new Finding(PiiCategory.PHONE, m.start(), m.end()));
            }
        }
        found.sort(Comparator.comparingInt(Finding::start));
        return found;
    }

    /** The categories present in a text. */
    public static Set<PiiCategory> categories(String text) {
        Set<PiiCategory> out = EnumSet.noneOf(PiiCategory.class);
        scan(text).forEach(f -> out.add(f.category()));
        return out;
    }

    /** The text with every finding replaced by its placeholder ({@code [EMAIL]} …). */
    public static String redact(String text) {
        List<Finding> found = scan(text);
        if (found.isEmpty()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        int at = 0;
        for (Finding f : found) {
            b.append(text, at, f.start()).append(f.category().placeholder());
            at = f.end();
        }
        return b.append(text, at, text.length()).toString();
    }

    private static void collect(String text, Pattern pattern, PiiCategory category, List<Finding> found) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            claim(found, new Finding(category, m.start(), m.end()));
        }
    }

    private static void claim(List<Finding> found, Finding candidate) {
        for (Finding f : found) {
            if (candidate.start() < f.end() && f.start() < candidate.end()) {
                return;
            }
        }
        found.add(candidate);
    }

    /**
     * 9 to 15 digits, written the way phone numbers are (a leading + or separators), and neither an
     * IPv4 address nor in the 3-2-4 shape of a social security number (issued or not).
     */
    static boolean phone(String candidate) {
        int digits = 0;
        for (int i = 0; i < candidate.length(); i++) {
            if (Character.isDigit(candidate.charAt(i))) {
                digits++;
            }
        }
        if (digits < 9 || digits > 15 || IPV4.matcher(candidate).matches() || SSN_SHAPE.matcher(candidate).matches()) {
            return false;
        }
        return candidate.startsWith("+") || candidate.matches(".*[ .()-].*");
    }

    /** The Luhn check of a card number (spaces and dashes ignored). */
    static boolean luhn(String candidate) {
        int sum = 0;
        int n = 0;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (!Character.isDigit(c)) {
                continue;
            }
            int d = c - '0';
            if (n++ % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return n >= 13 && n <= 19 && sum % 10 == 0;
    }

    /** The ISO 13616 check: country letters and check digits moved to the end, letters as numbers, mod 97 = 1. */
    static boolean validIban(String candidate) {
        String iban = candidate.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            int value = Character.isDigit(c) ? c - '0' : Character.isUpperCase(c) ? c - 'A' + 10 : -1;
            if (value < 0) {
                return false;
            }
            remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1;
    }
}
