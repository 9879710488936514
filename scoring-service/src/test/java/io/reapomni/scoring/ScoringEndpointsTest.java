package io.reapomni.scoring;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.events.Topics;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.service.testing.KafkaTestResource;
import io.reapomni.service.testing.TopicProbe;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators rely on: readiness once connected to Kafka, and the job metrics in Prometheus form. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class ScoringEndpointsTest {

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    /** Injected by {@link KafkaTestResource}. */
    TopicProbe kafka;

    @Test
    void isReadyAndCountsTheJobsItHandled() throws Exception {
        JobPlanned planned = TestJobs.plannedExample(UUID.randomUUID().toString());
        kafka.send(Topics.JOBS, planned.jobId(), EventCodec.encode(planned));
        kafka.awaitEvent(Topics.PLANS, planned.jobId(), PlanReady.class, Duration.ofSeconds(60));

        HttpResponse<String> ready = get(readiness);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\": \"UP\"");
        assertThat(get(metrics).body())
                .contains("reap_jobs_started_total{service=\"scoring-service\"}")
                .contains("reap_jobs_completed_total{service=\"scoring-service\"}")
                .contains("reap_jobs_duration_seconds_count{outcome=\"completed\",service=\"scoring-service\"}");
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
