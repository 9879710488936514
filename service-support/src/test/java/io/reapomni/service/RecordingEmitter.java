package io.reapomni.service;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** An emitter whose "broker" keeps what it is sent and acknowledges it, or refuses everything. */
final class RecordingEmitter implements Emitter<String> {

    private final List<Message<? extends String>> sent = new ArrayList<>();
    private final boolean refuse;

    private RecordingEmitter(boolean refuse) {
        this.refuse = refuse;
    }

    static RecordingEmitter accepting() {
        return new RecordingEmitter(false);
    }

    static RecordingEmitter refusing() {
        return new RecordingEmitter(true);
    }

    List<Message<? extends String>> sent() {
        return sent;
    }

    @Override
    public <M extends Message<? extends String>> void send(M message) {
        if (refuse) {
            message.nack(new IllegalStateException("broker unavailable"));
            return;
        }
        sent.add(message);
        message.ack();
    }

    @Override
    public CompletionStage<Void> send(String payload) {
        throw new UnsupportedOperationException("events are sent as messages with a key");
    }

    @Override
    public void complete() {
    }

    @Override
    public void error(Exception e) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean hasRequests() {
        return true;
    }
}
