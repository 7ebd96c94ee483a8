package org.personalab.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.UserSettings;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.FxWait;
import org.personalab.ui.MainWindow;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The provider settings dialog in the real window, headless, against a local server: reached from the menu, a provider
 * added (with "Supports Batch API" ticked and its batch price) and saved to a private settings folder, a bad models
 * line refused with its line, the key stored owner-only and never shown, "Test connection" failing without the key
 * and succeeding with it, and the provider removed.
 */
@ExtendWith(ApplicationExtension.class)
class ProviderSettingsUiTest {

    static final String KEY = "sk-ui-test-5e6f7a8b9c";

    private ThreadPoolTaskExecutor executor;
    private MockWebServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private Path home;

    @Start
    void start(Stage stage) throws Exception {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest rr) {
                String auth = String.valueOf(rr.getHeaders().get("Authorization"));
                authorizations.add(rr.getMethod() + " " + rr.getUrl().encodedPath() + " " + auth);
                if (!rr.getUrl().encodedPath().equals("/v1/models")) {
                    return new MockResponse.Builder().code(404).body("{\"error\":{\"message\":\"no route\"}}").build();
                }
                if (!auth.equals("Bearer " + KEY)) {
                    return new MockResponse.Builder().code(401)
                            .body("{\"error\":{\"message\":\"Incorrect API key provided\"}}").build();
                }
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                        .body("{\"object\":\"list\",\"data\":[{\"id\":\"m-small\"},{\"id\":\"m-large\"}]}").build();
            }
        });
        server.start();
        home = Files.createTempDirectory("personalab-provider-ui");
        executor = new ThreadPoolTaskExecutor(2);
        UiTestData.home(); // keeps personalab.home away from the user's own folder
        WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.FX, new UserSettings(home));
        new MainWindow(stage, ctx);
        stage.show();
    }

    @AfterEach
    void stop() {
        executor.close();
        server.close();
    }

    @Test
    void addSaveStoreKeyTestAndRemoveAProvider(FxRobot robot) throws Exception {
        robot.clickOn("#menuSettings").clickOn("#menuProviders");
        FxWait.until("the dialog shows", () -> robot.lookup("#providerSettingsDialog").tryQuery().isPresent());
        ListView<Provider> list = robot.lookup("#providerList").queryListView();
        assertTrue(FxWait.onFx(() -> list.getItems().stream().anyMatch(p -> p.name().equals("openai"))),
                "built-in providers are listed");

        robot.clickOn("#providerAdd");
        FxWait.until("a new provider is selected", () -> robot.lookup("#providerName").queryAs(TextInputControl.class)
                .getText().equals("provider-1"));
        replace(robot, "#providerName", "lab");
        // long texts are set directly (typing them key by key only slows the test down); short ones are typed
        robot.interact(() -> {
            robot.lookup("#providerBaseUrl").queryAs(TextInputControl.class).setText(server.url("/v1").toString());
            robot.lookup("#providerKeyEnv").queryAs(TextInputControl.class).setText("PL_UI_TEST_KEY_NOT_SET");
            robot.lookup("#providerModels").queryAs(TextInputControl.class).setText("m-small 0.5 1.5\nm-large 2 6\n");
        });
        replace(robot, "#providerMaxConcurrent", "16");
        replace(robot, "#providerRpm", "600");
        CheckBox batchApi = robot.lookup("#providerBatchApi").queryAs(CheckBox.class);
        assertFalse(FxWait.onFx(batchApi::isSelected), "a new provider starts without the Batch API");
        assertTrue(robot.lookup("#providerBatchFactor").query().isDisabled(), "no batch price without batches");
        robot.clickOn("#providerBatchApi");
        FxWait.until("the batch price can be edited", () -> !robot.lookup("#providerBatchFactor").query()
                .isDisabled());
        replace(robot, "#providerBatchFactor", "0.3");
        robot.clickOn("#providerModels").type(KeyCode.END).press(KeyCode.CONTROL).type(KeyCode.END)
                .release(KeyCode.CONTROL).write("m-bad abc 1");
        FxWait.until("the bad line is named", () -> text(robot, "#providerProblem")
                .startsWith("Models, line 3: prices must be numbers"));
        assertTrue(robot.lookup("#providerSave").query().isDisabled(), "an invalid form cannot be saved");
        for (int i = 0; i < "m-bad abc 1".length(); i++) { // the caret is still at the end of the bad line
            robot.type(KeyCode.BACK_SPACE);
        }
        FxWait.until("the form is valid again", () -> text(robot, "#providerProblem").isEmpty());
        robot.clickOn("#providerSave");
        Path file = home.resolve(ProviderRegistry.FILE);
        FxWait.until("providers.json is written", () -> Files.isRegularFile(file));
        Provider saved = ProviderRegistry.load(home).get("lab");
        assertEquals(server.url("/v1").toString().replaceAll("/$", ""), saved.baseUrl());
        assertEquals("PL_UI_TEST_KEY_NOT_SET", saved.apiKeyEnv());
        assertEquals(1.5, saved.models().get("m-small").outputPerMillion());
        assertEquals(2.0, saved.models().get("m-large").inputPerMillion());
        assertEquals(16, saved.limits().maxConcurrent());
        assertEquals(600, saved.limits().requestsPerMinute());
        assertTrue(saved.batchApi(), "Supports Batch API is saved");
        assertEquals(0.3, saved.batchPriceFactor());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(FxWait.onFx(() -> list.getItems().stream().anyMatch(p -> p.name().equals("lab"))));

        robot.clickOn("#providerTest");
        FxWait.until("the test fails without a key", () -> text(robot, "#providerTestResult")
                .contains("no API key"));
        assertTrue(text(robot, "#providerKeyStatus").contains("none yet"));

        robot.interact(() -> robot.lookup("#providerKey").queryAs(PasswordField.class).setText(KEY));
        assertEquals(KEY, robot.lookup("#providerKey").queryAs(PasswordField.class).getText());
        robot.clickOn("#providerStoreKey");
        Path keys = home.resolve("keys.json");
        FxWait.until("the key is stored", () -> Files.isRegularFile(keys)
                && text(robot, "#providerKeyStatus").contains("stored in keys.json"));
        assertEquals("", robot.lookup("#providerKey").queryAs(PasswordField.class).getText(), "typed key forgotten");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        assertTrue(Files.readString(keys).contains(KEY));
        assertFalse(Files.readString(file).contains(KEY), "the key never enters providers.json");

        robot.clickOn("#providerTest");
        FxWait.until("the test succeeds", () -> text(robot, "#providerTestResult").startsWith("Connected"));
        assertTrue(text(robot, "#providerTestResult").contains("2 models (m-small, m-large)"),
                text(robot, "#providerTestResult"));
        assertTrue(authorizations.contains("GET /v1/models Bearer " + KEY), authorizations.toString());
        for (Node n : robot.lookup(".label").queryAll()) {
            if (n instanceof Labeled l && l.getText() != null) {
                assertFalse(l.getText().contains(KEY), "a label shows the key: " + l.getId());
            }
        }

        robot.clickOn("#providerRemove");
        FxWait.until("lab is gone", () -> list.getItems().stream().noneMatch(p -> p.name().equals("lab")));
        assertTrue(ProviderRegistry.load(home).find("lab").isEmpty());
        assertTrue(ProviderRegistry.load(home).find("openai").isPresent());
    }

    private static String text(FxRobot robot, String id) {
        return FxWait.onFx(() -> {
            Node n = robot.lookup(id).query();
            return n instanceof Labeled l ? l.getText() : ((TextInputControl) n).getText();
        });
    }

    private static void replace(FxRobot robot, String id, String text) {
        robot.clickOn(id).press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write(text);
    }
}
