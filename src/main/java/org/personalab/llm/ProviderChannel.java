package org.personalab.llm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import org.personalab.task.TaskContext;

/**
 * Everything between the gateway and one provider's HTTP endpoint: its key (read at each call), circuit breaker, rate
 * limits, structured-output mode (moved down when the provider rejects it) and the retry loop.
 */
final class ProviderChannel {

    private static final long SLEEP_SLICE_MS = 50;

    private final Provider provider;
    private final ChatClient client;
    private final CircuitBreaker breaker;
    private final RateLimiter limiter;
    private final RetryPolicy policy;
    private final ApiKeys keys;
    private final RandomGenerator random;
    private final AtomicReference<StructuredMode> mode;

    ProviderChannel(Provider provider, OkHttpClient shared, ApiKeys keys, RetryPolicy policy, int breakerThreshold,
            Duration breakerCoolDown, RandomGenerator random) {
        this.provider = provider;
        this.client = new ChatClient(provider, shared);
        this.breaker = new CircuitBreaker(provider.name(), breakerThreshold, breakerCoolDown);
        this.limiter = new RateLimiter(provider.limits());
        this.policy = policy;
        this.keys = keys;
        this.random = random;
        this.mode = new AtomicReference<>(provider.structured());
    }

    Provider provider() {
        return provider;
    }

    StructuredMode mode() {
        return mode.get();
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Sends {@code req} (plus {@code followUps}) until an answer arrives or the policy gives up.
     *
     * @param tokenEstimate tokens charged to the tokens-per-minute limit until the real count is known
     */
    Completion send(ChatRequest req, List<ChatMessage> followUps, int tokenEstimate, TaskContext task) {
        String where = provider.name() + " / " + req.model();
        String key = keys.keyFor(provider).orElse(null);
        if (key == null && provider.apiKeyEnv() != null) {
            throw new LlmException(where + ": no API key: set the environment variable " + provider.apiKeyEnv()
                    + " or add \"" + provider.name() + "\" to " + keys.file() + " (readable only by you)");
        }
        int failed = 0;
        Exception last = null;
        while (true) {
            task.checkCancelled();
            try {
                breaker.acquire();
            } catch (LlmException.CircuitOpen e) {
                throw last == null ? e : new LlmException.CircuitOpen(e.getMessage() + "; last error: "
                        + describe(last, key));
            }
            StructuredMode m = mode.get();
            Duration retryAfter = null;
            try (RateLimiter.Permit permit = limiter.acquire(tokenEstimate, task)) {
                Completion c = client.complete(req, ChatClient.messages(req, m, followUps), m, key, task);
                breaker.onSuccess();
                permit.settle(c.usage().total());
                return c;
            } catch (LlmException.HttpStatus e) {
                if (req.format().isJson() && m != StructuredMode.PROMPT && formatRejected(e)) {
                    breaker.onSuccess();
                    mode.compareAndSet(m, m.weaker());
                    task.message(where + " does not accept response_format " + m.id() + "; asking with "
                            + m.weaker().id() + " instead");
                    continue;
                }
                if (!RetryPolicy.retryable(e.status())) {
                    breaker.onSuccess();
                    throw e;
                }
                if (e.status() == 429) {
                    breaker.onSuccess();
                } else {
                    breaker.onFailure();
                }
                last = e;
                retryAfter = e.retryAfter();
            } catch (IOException e) {
                breaker.onFailure();
                last = e;
            } catch (RuntimeException e) {
                breaker.onAbandoned();
                throw e;
            }
            failed++;
            if (failed >= policy.maxAttempts()) {
                String what = last instanceof LlmException le ? le.getMessage() : where + ": " + describe(last, key);
                throw new LlmException(what + " (gave up after " + failed + " tries)", last);
            }
            if (retryAfter != null && retryAfter.compareTo(policy.maxRetryAfter()) > 0) {
                throw new LlmException(where + ": the provider asks to wait " + retryAfter.toSeconds()
                        + " s, longer than the " + policy.maxRetryAfter().toSeconds() + " s allowed; last error: "
                        + describe(last, key), last);
            }
            Duration d = policy.delay(failed, retryAfter, random);
            task.message(String.format(Locale.ROOT, "%s: %s; try %d of %d in %.1f s", where, describe(last, key),
                    failed + 1, policy.maxAttempts(), d.toMillis() / 1000.0));
            sleep(d, task);
        }
    }

    private static boolean formatRejected(LlmException.HttpStatus e) {
        if (e.status() != 400 && e.status() != 422) {
            return false;
        }
        String m = e.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("response_format") || m.contains("json_schema") || m.contains("json_object")
                || m.contains("structured output");
    }

    /** A one-line account of a failure, without the key. */
    static String describe(Exception e, String key) {
        if (e instanceof LlmException le) {
            String m = le.getMessage();
            int i = m.indexOf(": HTTP ");
            return ApiKeys.redact(i >= 0 ? m.substring(i + 2) : m, key);
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SocketTimeoutException || (e instanceof InterruptedIOException && "timeout".equals(m))) {
            m = "timed out (" + m + ")";
        }
        return ApiKeys.redact(m, key);
    }

    private static void sleep(Duration d, TaskContext task) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (true) {
                task.checkCancelled();
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                Thread.sleep(Math.min(SLEEP_SLICE_MS, left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting to retry");
        }
    }
}
