package io.dealflow.pipeline.web;

/**
 * Text a person typed: no NUL or other control characters (tabs and line breaks aside), no lone UTF-16 surrogates.
 * Such characters cannot be shown, break some databases (PostgreSQL refuses NUL) and have no business in a deal.
 */
public final class CleanText {

    private CleanText() {
    }

    public static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The text itself, or a 400 naming the field when it holds characters that are not text. */
    public static String require(String field, String text) {
        if (text != null && !isClean(text)) {
            throw new ProblemException(Problem.VALIDATION, field + " must not contain control characters or broken Unicode");
        }
        return text;
    }
}
