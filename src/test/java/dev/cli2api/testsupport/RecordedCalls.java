package dev.cli2api.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cli2api.api.ApiCallCompleted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Keeps the completion events the edge fires, so tests can check what usage accounting will see. */
@ApplicationScoped
public class RecordedCalls {

    private final List<ApiCallCompleted> calls = new CopyOnWriteArrayList<>();

    void on(@Observes ApiCallCompleted call) {
        calls.add(call);
    }

    /** The last completed call whose request id is {@code requestId}, or null. */
    public ApiCallCompleted byRequestId(String requestId) {
        return calls.stream().filter(call -> call.requestId().equals(requestId)).reduce((a, b) -> b).orElse(null);
    }
}
