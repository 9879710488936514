package io.reapomni.cli.jobs;

import io.reapomni.cli.kafka.KafkaClients;
import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes an event to a topic, keyed by its job id, and returns once the broker has it. */
public final class RequestPublisher {

    private static final long TIMEOUT_SECONDS = 30;

    private RequestPublisher() {
    }

    public static void publish(KafkaConnection connection, String topic, JobEvent event) throws IOException {
        publishRaw(connection, topic, event.key(), EventCodec.encode(event));
    }

    /** Publishes {@code value} as it is: also what tests use to put a malformed message on a topic. */
    public static void publishRaw(KafkaConnection connection, String topic, String key, String value)
            throws IOException {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(connection)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException || e.getCause() instanceof AuthorizationException) {
                throw BrokerRefusal.of(connection, (KafkaException) e.getCause());
            }
            throw new IOException("cannot publish to " + topic + " at " + connection + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (AuthenticationException | AuthorizationException e) {
            throw BrokerRefusal.of(connection, e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw BrokerRefusal.silent(connection, Duration.ofSeconds(TIMEOUT_SECONDS), e);
        } catch (TimeoutException e) {
            throw new IOException("the broker at " + connection + " did not take the message within "
                    + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing to " + topic, e);
        }
    }
}
