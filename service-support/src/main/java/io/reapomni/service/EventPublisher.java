package io.reapomni.service;

import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes job events as JSON to the Kafka topic behind one outgoing channel, keyed by {@link JobEvent#key()} so that
 * a job's events stay in order on one partition. {@link #publish} returns once the broker has the record: a handler
 * acknowledges its incoming message only after everything it published is safe, which gives at-least-once delivery.
 */
public final class EventPublisher implements JobEventSink {

    /** Above the producer's own delivery timeout (two minutes), so the producer reports its failure first. */
    static final Duration BROKER_ACK_TIMEOUT = Duration.ofMinutes(3);

    private final Emitter<String> emitter;
    private final Duration ackTimeout;

    public EventPublisher(Emitter<String> emitter) {
        this(emitter, BROKER_ACK_TIMEOUT);
    }

    EventPublisher(Emitter<String> emitter, Duration ackTimeout) {
        this.emitter = emitter;
        this.ackTimeout = ackTimeout;
    }

    /** Sends the event and waits until the broker acknowledged it; to be called from a worker thread. */
    @Override
    public void publish(JobEvent event) throws PublishException {
        if (HandlerWatch.expiredOnThisThread()) {
            throw new PublishException(describe(event) + " is not published: its job passed its deadline and has"
                    + " already failed", null);
        }
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        Message<String> message = Message.of(EventCodec.encode(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build())
                .withAck(() -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
            acknowledged.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishException(describe(event) + " was refused: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException(describe(event) + " was not acknowledged by the broker within "
                    + ackTimeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while publishing " + describe(event), e);
        } catch (IllegalStateException e) {
            // The emitter refuses sends when its channel is cancelled or its buffer is full.
            throw new PublishException(describe(event) + " could not be sent: " + e.getMessage(), e);
        }
    }

    private static String describe(JobEvent event) {
        return event.getClass().getSimpleName() + " of job " + event.jobId();
    }
}
