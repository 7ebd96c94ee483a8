package org.personalab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.personalab.data.Responses;
import org.personalab.eval.PersonTarget;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.sim.ItemPrompt;
import org.personalab.sim.OptionOrder;
import org.personalab.sim.PersonaRenderer;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.Workspace;

/**
 * A fake OpenAI-compatible questionnaire respondent behind MockWebServer whose answers depend on the prompt. It knows
 * the persons behind the personas (the test hands it the workspace's specs and the people's real answers): for a
 * share of the items, chosen by a hash of the persona and the last user message, it gives the person's real answer,
 * otherwise a letter drawn from the same hash; about one item in 40 it hedges (unparseable). A {@code confused}
 * predicate on the number of messages makes it answer from the hash only (chance), e.g. when the conversation is long.
 * Answers never depend on anything else, so two memory policies get the same answer to the same item unless confusion
 * strikes. It reports usage as characters / 4 of the messages it received, checks the bearer key, and records every
 * request body with the usage it returned.
 */
final class OracleChatModel extends Dispatcher {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int COMPLETION_TOKENS = 5;

    /** A request as the server saw it: its messages (role, content) and the prompt tokens it reported. */
    record Seen(List<String[]> messages, int promptTokens) {
    }

    final AtomicInteger total = new AtomicInteger();
    final AtomicInteger badKey = new AtomicInteger();
    final Map<String, Seen> bodies = new ConcurrentHashMap<>();
    private final String key;
    private final Map<String, byte[]> truthBySystem = new HashMap<>();
    private final Map<String, Integer> itemByPrompt = new HashMap<>();
    private final IntPredicate confused;

    /**
     * @param truth the people's answers, as imported into {@code ws}
     * @param confused answers at chance when true of the request's message count
     */
    OracleChatModel(Workspace ws, long specRun, long datasetId, Responses truth, String key, IntPredicate confused) {
        this.key = key;
        this.confused = confused;
        long first = ws.read(tx -> tx.datasets().respondentIds(datasetId))[0];
        PersonaRenderer renderer = new PersonaRenderer(PersonaRenderer.Mode.TINYTROUPE);
        for (SpecRow s : ws.read(tx -> tx.specs().byRun(specRun))) {
            String system = renderer.render(TinyTroupeFiles.parse(s.document()).spec());
            truthBySystem.put(system, PersonTarget.rawAnswers(truth, (int) (s.respondentId() - first),
                    Inventory.IPIP_NEO_120));
        }
        List<Item> items = Inventory.IPIP_NEO_120.items();
        for (int i = 0; i < items.size(); i++) {
            itemByPrompt.put(ItemPrompt.standard().render(items.get(i), OptionOrder.FIXED), i);
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest rr) {
        if (!("Bearer " + key).equals(rr.getHeaders().get("Authorization"))) {
            badKey.incrementAndGet();
            return new MockResponse.Builder().code(401).body("{\"error\":{\"message\":\"bad key\"}}").build();
        }
        String raw = rr.getBody() == null ? "{}" : rr.getBody().utf8();
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (Exception e) {
            return new MockResponse.Builder().code(400).body("{\"error\":{\"message\":\"bad json\"}}").build();
        }
        total.incrementAndGet();
        List<String[]> messages = new ArrayList<>();
        int chars = 0;
        String system = "";
        String last = "";
        for (JsonNode m : body.path("messages")) {
            String role = m.path("role").asText();
            String content = m.path("content").asText();
            messages.add(new String[] {role, content});
            chars += content.length();
            if (role.equals("system") && system.isEmpty()) {
                system = content;
            }
            if (role.equals("user")) {
                last = content;
            }
        }
        int prompt = chars / 4;
        bodies.put(raw, new Seen(messages, prompt));
        long h = hash(system + "\n" + last);
        String reply;
        if (h % 40 == 0) {
            reply = "Hard to say, it depends on the day.";
        } else {
            char letter = OptionOrder.LETTERS.charAt((int) ((h / 40) % 5));
            byte[] truth = person(system);
            Integer item = itemByPrompt.get(last);
            if (!confused.test(messages.size()) && truth != null && item != null && truth[item] > 0
                    && (h / 200) % 10 < 7) {
                letter = OptionOrder.FIXED.letterOf(truth[item]);
            }
            reply = body.has("response_format") ? "{\"answer\": \"" + letter + "\"}"
                    : "I would choose (" + letter + ").";
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "chatcmpl-oracle");
        o.put("object", "chat.completion");
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", 0);
        c.putObject("message").put("role", "assistant").put("content", reply);
        c.put("finish_reason", "stop");
        o.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", COMPLETION_TOKENS)
                .put("total_tokens", prompt + COMPLETION_TOKENS);
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(o.toString())
                .build();
    }

    private byte[] person(String system) {
        byte[] t = truthBySystem.get(system);
        if (t != null) {
            return t;
        }
        for (Map.Entry<String, byte[]> e : truthBySystem.entrySet()) { // a structured-output note may follow
            if (system.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static long hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 7; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
