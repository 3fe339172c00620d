package dev.thing.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokensTest {

    private static void assertSyntax(String line) {
        assertThatThrownBy(() -> Tokens.split(line))
                .isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.SYNTAX));
    }

    @Test
    void splitSeparatesOnRunsOfSpacesAndTabs() throws Exception {
        assertThat(Tokens.split("a b  c\t d\t\te")).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void splitIgnoresLeadingAndTrailingBlanks() throws Exception {
        assertThat(Tokens.split("  \t PLAY x \t ")).containsExactly("PLAY", "x");
    }

    @Test
    void splitOfBlankOrEmptyLineGivesNoTokens() throws Exception {
        assertThat(Tokens.split("")).isEmpty();
        assertThat(Tokens.split(" \t  ")).isEmpty();
    }

    @Test
    void quotedTokenKeepsItsSpacesAndTabs() throws Exception {
        assertThat(Tokens.split("SONG \"Bohemian  Rhapsody\" SET ARTIST Queen"))
                .containsExactly("SONG", "Bohemian  Rhapsody", "SET", "ARTIST", "Queen");
        assertThat(Tokens.split("\"a\tb\"")).containsExactly("a\tb");
    }

    @Test
    void escapedQuoteAndBackslashInsideQuotesAreUndone() throws Exception {
        assertThat(Tokens.split("\"say \\\"hi\\\"\" \"C:\\\\music\\\\x\""))
                .containsExactly("say \"hi\"", "C:\\music\\x");
    }

    @Test
    void doubleQuotesAloneAreTheEmptyToken() throws Exception {
        assertThat(Tokens.split("UPDATE t \"\" \"\" x")).containsExactly("UPDATE", "t", "", "", "x");
        assertThat(Tokens.split("\"\"")).containsExactly("");
    }

    @Test
    void unicodeTokensPassThroughBareAndQuoted() throws Exception {
        assertThat(Tokens.split("SEND \"Café del Mar – Ñandú\" 東京 🎵"))
                .containsExactly("SEND", "Café del Mar – Ñandú", "東京", "🎵");
    }

    @Test
    void backslashInABareTokenIsAnOrdinaryCharacter() throws Exception {
        assertThat(Tokens.split("a\\b c\\")).containsExactly("a\\b", "c\\");
    }

    @Test
    void unterminatedQuoteIsSyntaxError() {
        assertSyntax("GET \"Bohemian Rhapsody");
        assertSyntax("\"");
        assertSyntax("\"abc\\\"");
        assertSyntax("\"abc\\");
    }

    @Test
    void backslashBeforeAnythingButQuoteOrBackslashIsSyntaxError() {
        assertSyntax("\"a\\nb\"");
        assertSyntax("\"a\\ b\"");
    }

    @Test
    void quoteInTheMiddleOfABareTokenIsSyntaxError() {
        assertSyntax("GET Don\"t");
        assertSyntax("ab\"cd\"");
    }

    @Test
    void closingQuoteMustBeFollowedByABlankOrTheEnd() {
        assertSyntax("\"ab\"cd");
        assertSyntax("\"ab\"\"cd\"");
    }

    @Test
    void quoteLeavesPlainTokensBare() {
        assertThat(Tokens.quote("Queen")).isEqualTo("Queen");
        assertThat(Tokens.quote("#12")).isEqualTo("#12");
        assertThat(Tokens.quote("東京")).isEqualTo("東京");
        assertThat(Tokens.quote("Ñandú-1_x.mp3")).isEqualTo("Ñandú-1_x.mp3");
    }

    @Test
    void quoteQuotesOnlyEmptyBlankQuoteOrBackslashTokens() {
        assertThat(Tokens.quote("")).isEqualTo("\"\"");
        assertThat(Tokens.quote("a b")).isEqualTo("\"a b\"");
        assertThat(Tokens.quote("a\tb")).isEqualTo("\"a\tb\"");
        assertThat(Tokens.quote("a\"b")).isEqualTo("\"a\\\"b\"");
        assertThat(Tokens.quote("a\\b")).isEqualTo("\"a\\\\b\"");
        assertThat(Tokens.quote("\"")).isEqualTo("\"\\\"\"");
    }

    @Test
    void joinSeparatesWithSingleSpacesAndQuotesWhereNeeded() {
        assertThat(Tokens.join(List.of("SONG", "Bohemian Rhapsody", "SET", "ARTIST", "")))
                .isEqualTo("SONG \"Bohemian Rhapsody\" SET ARTIST \"\"");
        assertThat(Tokens.join(List.of())).isEmpty();
    }

    @Test
    void restAfterVerbKeepsTheRestUntouched() {
        assertThat(Tokens.restAfterVerb("NOTIFY  hello \"world  ")).isEqualTo("hello \"world  ");
        assertThat(Tokens.restAfterVerb("NOTIFY")).isEmpty();
    }

    private static final String ALPHABET = "ab Z09 \t\"\\\"\\#-_.é東🎵Ñ–\u00a0";

    private static String randomToken(Random random) {
        int length = random.nextInt(12);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(ALPHABET.length() + 1);
            if (pick == ALPHABET.length()) {
                int cp = 0x20 + random.nextInt(0x3000);
                // Control characters never survive a write (they become spaces); keep the property about text.
                out.appendCodePoint(Character.isISOControl(cp) ? 'x' : cp);
            } else {
                char c = ALPHABET.charAt(pick);
                if (Character.isHighSurrogate(c)) {
                    out.append(c).append(ALPHABET.charAt(pick + 1));
                } else if (Character.isLowSurrogate(c)) {
                    out.append(ALPHABET.charAt(pick - 1)).append(c);
                } else {
                    out.append(c);
                }
            }
        }
        return out.toString();
    }

    @Test
    void joinThenSplitGivesBackTheTokensForManyRandomLists() throws Exception {
        Random random = new Random(20261122L);
        for (int round = 0; round < 20_000; round++) {
            int count = random.nextInt(7);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                tokens.add(randomToken(random));
            }
            String line = Tokens.join(tokens);
            assertThat(Tokens.split(line)).as("line %s", line).isEqualTo(tokens);
        }
    }

    @Test
    void quoteWritesControlCharactersAsSpacesAndSplitRefusesThem() {
        assertThat(Tokens.quote("a\nb")).isEqualTo("\"a b\"");
        assertThat(Tokens.quote("a\u0085b")).isEqualTo("\"a b\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokens.split("LIST\u0007"))
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.SYNTAX);
    }

    @Test
    void quoteThenSplitGivesBackOneTokenForManyRandomStrings() throws Exception {
        Random random = new Random(7717L);
        for (int round = 0; round < 20_000; round++) {
            String token = randomToken(random);
            assertThat(Tokens.split("  " + Tokens.quote(token) + "\t")).containsExactly(token);
        }
    }
}
