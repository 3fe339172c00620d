package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/** Chat from the page (SAY, RFC 6.32): lines both ways with telnet, the history, hostile text, the rate limit. */
class ChatInBrowserTest extends BrowserTestBase {

    /** The page creates "party"; a telnet bob asks to join and the page's Accept button lets him in. */
    private TelnetClient pageAdminWithTelnetMember(Page page, String user) {
        page.create("party", "alice");
        TelnetClient c = telnet(user);
        c.send("party " + user);
        c.expectLine("NOTIFY waiting for approval to join party");
        page.waitFor(user + " waiting on the page", () -> !page.all("#pending li[data-user=" + user + "]").isEmpty());
        page.css("#pending li[data-user=" + user + "] button[data-act=accept]").click();
        c.expectOkay();
        c.expectLine("NOTIFY " + user + " joined party");
        return c;
    }

    private static void say(Page page, String text) {
        page.el("chat-input").clear();
        page.el("chat-input").sendKeys(text);
        page.el("chat-input").sendKeys(Keys.ENTER);
    }

    private static List<String> chatTexts(Page page) {
        return page.all("#chat-log li .chat-text").stream().map(e -> e.getText()).toList();
    }

    @Test
    void aTelnetLineAppearsInThePageAndAPageLineReachesTelnet() {
        start();
        Page page = browser();
        TelnetClient bob = pageAdminWithTelnetMember(page, "bob");
        assertThat(page.visible("chat-empty")).isTrue();

        bob.send("SAY hello from the terminal");
        bob.skipUntilLine("NOTIFY <bob> hello from the terminal");
        bob.expectOkay();
        page.waitFor("bob's line in the chat",
                () -> page.all("#chat-log li[data-user=bob]").size() == 1);
        assertThat(page.css("#chat-log li[data-user=bob] .chat-who").getText()).isEqualTo("bob");
        assertThat(page.css("#chat-log li[data-user=bob] .chat-text").getText()).isEqualTo("hello from the terminal");
        assertThat(page.css("#chat-log li[data-user=bob]").getAttribute("class")).doesNotContain("mine");
        assertThat(page.visible("chat-empty")).isFalse();

        say(page, "hi bob, \"quotes\" and \\ too");
        bob.skipUntilLine("NOTIFY <alice> hi bob, \"quotes\" and \\ too");
        page.waitFor("the page's own line, marked", () -> !page.all("#chat-log li.mine[data-user=alice]").isEmpty());
        assertThat(page.css("#chat-log li.mine .chat-text").getText()).isEqualTo("hi bob, \"quotes\" and \\ too");
        page.waitFor("the input emptied", () -> page.el("chat-input").getAttribute("value").isEmpty());

        // Hostile text is shown as text: no element is made of it and no script runs.
        page.js("window.__pwned = false;");
        bob.send("SAY <script>window.__pwned = true</script><img src=x onerror=\"window.__pwned = true\">");
        bob.skipUntil(l -> l.startsWith("NOTIFY <bob> <script>"));
        page.waitFor("the script line", () -> chatTexts(page).size() == 3);
        assertThat(chatTexts(page).get(2))
                .isEqualTo("<script>window.__pwned = true</script><img src=x onerror=\"window.__pwned = true\">");
        assertThat(page.all("#chat-log script, #chat-log img")).isEmpty();
        assertThat(page.js("return window.__pwned")).isEqualTo(false);

        // The limit is shown, and the input cannot take more.
        assertThat(page.el("chat-input").getAttribute("maxlength")).isEqualTo("500");
        assertThat(page.el("chat-count").getText()).isEqualTo("0 / 500");
        page.el("chat-input").sendKeys("abc");
        assertThat(page.el("chat-count").getText()).isEqualTo("3 / 500");
    }

    @Test
    void chattingFasterThanTheLimitShowsTheServersAnswerBesideTheInput() {
        start();
        Page page = browser();
        TelnetClient bob = pageAdminWithTelnetMember(page, "bob");
        // Five lines at once are allowed, then one a second: eight quick lines from the page hit the limit. They are
        // submitted through the chat form by one script: typed key by key through the driver, eight lines can take
        // longer than the limit's refill on a busy machine, and the test would depend on the machine's speed.
        page.js("const input = document.getElementById('chat-input');"
                + "const form = document.getElementById('chat-form');"
                + "for (let i = 1; i <= 8; i++) {"
                + "  input.value = 'line ' + i; input.dispatchEvent(new Event('input')); form.requestSubmit();"
                + "}");
        page.waitFor("the limit's answer beside the input",
                () -> page.el("chat-error").getText().contains("you are chatting too fast"));
        bob.skipUntilLine("NOTIFY <alice> line 5");
        // What the limit refused went to nobody, and the page shows no line it did not get back.
        page.waitFor("five lines in the chat", () -> chatTexts(page).size() >= 5);
        assertThat(chatTexts(page)).doesNotHaveDuplicates();
        assertThat(chatTexts(page)).allSatisfy(t -> assertThat(t).startsWith("line "));
    }

    @Test
    void aLatePageJoinerIsShownTheHistory() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        alice.okay("SAY first line");
        alice.okay("SAY second <b>line</b>");
        Page page = browser();
        page.join("party", "carol");
        alice.skipUntilLine("NOTIFY carol asks to join party: ACCEPT carol or REJECT carol");
        alice.okay("ACCEPT carol");
        page.waitFor("the history in the chat", () -> chatTexts(page).size() == 2);
        assertThat(chatTexts(page)).containsExactly("first line", "second <b>line</b>");
        assertThat(page.all("#chat-log li[data-user=alice]")).hasSize(2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chat = (List<Map<String, Object>>) page.js("return window.thing.chat");
        assertThat(chat).allSatisfy(m -> assertThat(m.get("mine")).isEqualTo(false));

        alice.okay("SAY welcome carol");
        page.waitFor("a live line after the history", () -> chatTexts(page).size() == 3);
        assertThat(chatTexts(page).get(2)).isEqualTo("welcome carol");
    }

    @Test
    void theChatFitsAPhonesWidthAndKeepsItsPlaceWhenScrolledUp() {
        start();
        Page page = browser();
        page.resize(375, 812);
        TelnetClient bob = pageAdminWithTelnetMember(page, "bob");
        // Four lines, and the fifth below: within the burst of five the rate limit allows.
        for (int i = 1; i <= 4; i++) {
            bob.okay("SAY " + "a long line that wraps on a small screen, number " + i + " ".repeat(3)
                    + "x".repeat(60) + " and more words so that it wraps");
        }
        page.waitFor("four lines", () -> chatTexts(page).size() == 4);
        long[] w = page.widths();
        assertThat(w[1]).as("content width at 375 px with chat").isLessThanOrEqualTo(w[0]);
        // Autoscroll: the newest line is in view while nobody scrolled up.
        page.waitFor("the log at its end", () -> Boolean.TRUE.equals(page.js(
                "const l = document.getElementById('chat-log'); return l.scrollHeight - l.scrollTop - l.clientHeight < 24;")));

        // Scrolled up to read: a new line does not pull the log down.
        page.js("document.getElementById('chat-log').scrollTop = 0;");
        bob.okay("SAY while you read");
        page.waitFor("the fifth line", () -> chatTexts(page).size() == 5);
        assertThat(((Number) page.js("return document.getElementById('chat-log').scrollTop;")).longValue()).isZero();
        page.screenshot("chat-phone");
    }
}
