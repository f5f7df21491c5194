package io.dealflow.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seller's day in the web app, in headless Chromium against the real stack: sign in, create a deal on the board, drag
 * it to the next stage, move it on from the keyboard, win it on its page, see the board and the funnel change, and
 * travel back to before the deal existed. Screenshots of each step land in {@code target/screenshots}. Needs Debian's
 * {@code chromium} and {@code chromium-driver}; without them the test is skipped.
 */
class WebAppIT {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    private static DealFlowSystem system;
    private static WebDriver browser;
    private static WebDriverWait wait;
    private static int shot;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser tests skipped: no " + CHROMIUM + " or " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
        system = DealFlowSystem.start();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // the views re-render after every change and when new events reach analytics
        wait.ignoring(StaleElementReferenceException.class).ignoring(ElementNotInteractableException.class);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aSellerWorksADealFromCreationToWinAndSeesTheFunnelFollow() throws Exception {
        browser.get(system.gateway() + "/");
        WebElement name = wait.until(d -> d.findElement(By.id("signin-name")));
        screenshot("sign-in");
        name.clear();
        name.sendKeys("ann");
        new Select(browser.findElement(By.id("signin-role"))).selectByValue("seller");
        browser.findElement(By.id("sign-in")).click();
        wait.until(d -> d.findElements(By.cssSelector("#board .column")).size() >= 2);
        assertTrue(browser.findElement(By.id("who")).getText().contains("ann"));

        long before = funnelTotal("data-deals");
        long wonBefore = funnelTotal("data-won");
        LocalDateTime beforeTheDeal = LocalDateTime.now().truncatedTo(ChronoUnit.MINUTES); // the time-travel input has minutes

        browser.get(system.gateway() + "/#/board");
        wait.until(d -> d.findElements(By.cssSelector("#board .column")).size() >= 2);
        long secondBefore = count(1);
        browser.findElement(By.id("new-deal")).click();
        String title = "Browser deal " + System.nanoTime();
        WebElement titleInput = wait.until(d -> d.findElement(By.cssSelector("dialog[open] input[name=title]")));
        titleInput.sendKeys(title);
        WebElement amount = browser.findElement(By.cssSelector("dialog[open] input[name=amount]"));
        amount.clear();
        amount.sendKeys("5000.00");
        screenshot("new-deal");
        browser.findElement(By.id("create-deal")).click();
        WebElement card = wait.until(d -> d.findElement(By.cssSelector("#board .column:nth-child(1) .card[data-title='" + title + "']")));
        screenshot("created");
        String dealId = card.getAttribute("data-deal");

        // someone else changes the deal while the card is on screen: the move is refused, said so, and the board refreshed
        HttpResponse<String> patched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.gateway() + "/api/v1/deals/" + dealId))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\": \"" + title + "\", \"source\": \"referral\"}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + DealFlowSystem.token("bob", "deals:read deals:write"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, patched.statusCode(), patched.body());
        dragToColumn(card, 1);
        wait.until(d -> d.findElement(By.id("notice")).getText().contains("changed this deal meanwhile"));
        screenshot("stale-card");
        card = wait.until(d -> d.findElement(By.cssSelector("#board .column:nth-child(1) .card[data-title='" + title + "']")));
        assertTrue(card.getText().contains("referral"), "the refreshed card shows the other change");
        assertEquals(secondBefore, count(1), "the refused move moved nothing");

        dragToColumn(card, 1);
        wait.until(d -> !d.findElements(By.cssSelector("#board .column:nth-child(2) .card[data-deal='" + dealId + "']")).isEmpty());
        assertEquals(secondBefore + 1, count(1), "the second column counts the dragged deal");
        screenshot("dragged");

        WebElement moved = browser.findElement(By.cssSelector("#board .column:nth-child(2) .card[data-deal='" + dealId + "']"));
        String thirdStage = browser.findElements(By.cssSelector("#board .column")).get(2).getAttribute("data-stage");
        new Select(moved.findElement(By.tagName("select"))).selectByValue(thirdStage);
        wait.until(d -> !d.findElements(By.cssSelector("#board .column:nth-child(3) .card[data-deal='" + dealId + "']")).isEmpty());
        screenshot("moved-by-keyboard");

        browser.findElement(By.cssSelector(".card[data-deal='" + dealId + "'] a")).click();
        wait.until(d -> d.findElement(By.id("win"))).click();
        wait.until(d -> "WON".equals(d.findElement(By.id("deal-status")).getText()));
        assertTrue(browser.findElement(By.id("history")).getText().contains("ann"), "the history names who did it");
        screenshot("won");

        browser.get(system.gateway() + "/#/board");
        wait.until(d -> d.findElements(By.cssSelector("#board .column")).size() >= 3);
        assertTrue(browser.findElements(By.cssSelector(".card[data-deal='" + dealId + "']")).isEmpty(), "a won deal leaves the board");

        long deadline = System.currentTimeMillis() + 30_000;
        while (funnelTotal("data-won") != wonBefore + 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        assertEquals(wonBefore + 1, funnelTotal("data-won"), "the funnel counts the win");
        assertEquals(before + 1, funnelTotal("data-deals"));
        screenshot("funnel");

        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];",
                browser.findElement(By.id("funnel-at")), beforeTheDeal.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")));
        browser.findElement(By.cssSelector("#funnel-filters button[type=submit]")).click();
        wait.until(d -> d.findElement(By.tagName("h1")).getText().contains("as it stood at"));
        assertEquals(before, Long.parseLong(browser.findElement(By.id("funnel-totals")).getAttribute("data-deals")),
                "before it existed, the funnel does not know the deal");
        screenshot("time-travel");

        browser.get(system.gateway() + "/#/forecast");
        wait.until(d -> d.findElement(By.id("velocity")).getText().contains("1 won"));
        screenshot("forecast");
        browser.get(system.gateway() + "/#/attention");
        wait.until(d -> d.findElement(By.tagName("h1")).getText().startsWith("Needs attention"));
        screenshot("attention");

        // the rest of the deal's life on its page: reopen, edit, log an activity, lose with a reason
        browser.get(system.gateway() + "/#/deal/" + dealId);
        wait.until(d -> {
            new Select(d.findElement(By.id("reopen-stage"))).selectByIndex(1);
            d.findElement(By.id("reopen")).click();
            return true;
        });
        wait.until(d -> "OPEN".equals(d.findElement(By.id("deal-status")).getText()));
        wait.until(d -> {
            WebElement newAmount = d.findElement(By.cssSelector("#edit-deal input[name=amount]"));
            newAmount.clear();
            newAmount.sendKeys("7500.00");
            d.findElement(By.cssSelector("#edit-deal button[type=submit]")).click();
            return true;
        });
        // the summary comes from the server (the input would show the typed value before the page re-renders)
        wait.until(d -> d.findElement(By.cssSelector("main section.panel p")).getText().contains("7,500"));
        assertTrue(browser.findElement(By.id("history")).getText().contains("5000.00 EUR → 7500.00 EUR"), "the history shows the amount change");
        wait.until(d -> {
            d.findElement(By.id("activity-note")).sendKeys("Called the buyer");
            d.findElement(By.cssSelector("#log-activity button[type=submit]")).click();
            return true;
        });
        wait.until(d -> d.findElement(By.id("history")).getText().contains("Called the buyer"));
        String chosen = wait.until(d -> {
            Select reason = new Select(d.findElement(By.id("lost-reason")));
            String first = reason.getOptions().get(0).getAttribute("value");
            reason.selectByValue(first);
            d.findElement(By.id("lose")).click();
            return first;
        });
        wait.until(d -> "LOST".equals(d.findElement(By.id("deal-status")).getText()));
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("lost: " + chosen), "the page names the reason");
        screenshot("reopened-edited-lost");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(system.gateway() + "/#/board");
        wait.until(d -> d.findElements(By.cssSelector("#board .column")).size() >= 3);
        Object overflow = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(((Number) overflow).longValue() <= 0, "the board fits a phone's width, overflow " + overflow + " px");
        screenshot("board-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    void theApiDocsAuthorizeAndTryItOut() throws Exception {
        browser.get(system.gateway() + "/api/docs");
        wait.until(d -> d.findElement(By.cssSelector("button.authorize"))).click();
        WebElement token = wait.until(d -> d.findElement(By.cssSelector(".auth-container input")));
        token.sendKeys(DealFlowSystem.token("docs-reader", "analytics:read"));
        browser.findElement(By.cssSelector(".auth-btn-wrapper button.authorize")).click();
        browser.findElement(By.cssSelector(".auth-btn-wrapper button.btn-done")).click();
        wait.until(d -> d.findElement(By.cssSelector(".opblock-get .opblock-summary-path[data-path='/api/v1/analytics/freshness']"))).click();
        wait.until(d -> d.findElement(By.cssSelector(".opblock.is-open .try-out__btn"))).click();
        wait.until(d -> d.findElement(By.cssSelector(".opblock.is-open button.execute"))).click();
        WebElement status = wait.until(d -> d.findElement(By.cssSelector(".opblock.is-open .live-responses-table tbody .response-col_status")));
        screenshot("api-docs-try-it-out");
        assertEquals("200", status.getText().trim(), "the call went through the gateway with the token given to Authorize");
    }

    @Test
    void signsInThroughTheIdentityProviderWithPkce() throws Exception {
        try (FakeIdentityProvider idp = new FakeIdentityProvider("lea", "deals:read deals:write analytics:read")) {
            String gateway = system.addGateway(DealFlowSystem.freePort(), Map.of(
                    "WEB_AUTHORIZATION_ENDPOINT", idp.url() + "/authorize", "WEB_TOKEN_ENDPOINT", idp.url() + "/token",
                    "WEB_CLIENT_ID", "dealflow-web"));
            browser.get(gateway + "/#/funnel");
            wait.until(d -> d.findElement(By.id("sign-in"))).click();
            wait.until(d -> d.findElement(By.id("who")).getText().contains("lea"));
            wait.until(d -> d.findElement(By.id("funnel-totals")));
            assertTrue(browser.getCurrentUrl().endsWith("#/funnel"), "back where the sign-in started: " + browser.getCurrentUrl());
            assertEquals(1, idp.tokensIssued, "one code exchanged, with a verifier that matched its challenge");
            assertEquals(0, idp.tokensRefused);
            screenshot("signed-in-through-identity-provider");
        }
    }

    private long funnelTotal(String attribute) {
        browser.get(system.gateway() + "/#/funnel");
        browser.navigate().refresh();
        WebElement totals = wait.until(d -> d.findElement(By.id("funnel-totals")));
        return Long.parseLong(totals.getAttribute(attribute));
    }

    private long count(int column) {
        return Long.parseLong(browser.findElements(By.cssSelector("#board .column")).get(column)
                .findElement(By.className("count")).getAttribute("data-count"));
    }

    /** HTML5 drag and drop as the browser fires it (Selenium's mouse actions do not start a native drag in Chromium). */
    private void dragToColumn(WebElement card, int column) {
        WebElement target = browser.findElements(By.cssSelector("#board .column")).get(column);
        ((JavascriptExecutor) browser).executeScript("""
                const [source, target] = arguments;
                const data = new DataTransfer();
                source.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
                target.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));
                target.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
                source.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: data}));""", card, target);
    }

    private void screenshot(String step) throws Exception {
        File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shot, step)), StandardCopyOption.REPLACE_EXISTING);
    }
}
