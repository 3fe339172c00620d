package dev.thing.protocol;

/** Song positions: milliseconds on the wire; people may also type {@code m:ss} or {@code m:ss.fff}. */
public final class Positions {
    private Positions() {
    }

    public static long parse(String text) throws ProtocolException {
        try {
            if (text.matches("[0-9]{1,12}")) {
                return Long.parseLong(text);
            }
            if (text.matches("[0-9]{1,6}:[0-5][0-9](\\.[0-9]{1,3})?")) {
                int colon = text.indexOf(':');
                long minutes = Long.parseLong(text.substring(0, colon));
                String rest = text.substring(colon + 1);
                long seconds = Long.parseLong(rest.substring(0, 2));
                long millis = 0;
                if (rest.length() > 2) {
                    String frac = (rest.substring(3) + "00").substring(0, 3);
                    millis = Long.parseLong(frac);
                }
                return (minutes * 60 + seconds) * 1000 + millis;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new ProtocolException(ErrorCode.SYNTAX,
                "position must be milliseconds or m:ss (got " + text + ")");
    }

    /** Formats milliseconds as m:ss for people. */
    public static String format(long millis) {
        long seconds = Math.max(0, millis) / 1000;
        return String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
