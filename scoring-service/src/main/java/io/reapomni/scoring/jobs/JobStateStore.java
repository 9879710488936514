package io.reapomni.scoring.jobs;

import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.MalformedEventException;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.Segment;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the scoring service knows about the calibrated jobs it waits on, in object storage so that a restarted or
 * another replica of the service carries on where this one stopped. One object per fact, each written whole:
 * <pre>
 * {job}/planned.json           the JobPlanned event
 * {job}/tasks/{task}.json      each task's CalibrationStats event, once
 * {job}/finished               written once the job's plan or failure was published
 * </pre>
 * Ids are URL-encoded into keys, so that no id can name another job's objects.
 */
public final class JobStateStore {
    static final String PLANNED = "planned.json";
    static final String TASKS = "tasks/";
    static final String FINISHED = "finished";
    private static final long MAX_EVENT_BYTES = 256L * 1024 * 1024;

    private final ObjectStore store;

    public JobStateStore(ObjectStore store) {
        this.store = store;
    }

    public void savePlanned(JobPlanned planned) throws IOException {
        write(jobKey(planned.jobId()) + PLANNED, EventCodec.encode(planned));
    }

    public Optional<JobPlanned> planned(String jobId) throws IOException {
        String key = jobKey(jobId) + PLANNED;
        if (!store.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(read(store, key, JobPlanned.class));
    }

    /** Keeps a task's statistics unless that task's are already kept: a redelivered task changes nothing. */
    public void saveTask(CalibrationStatsReported stats) throws IOException {
        String key = taskKey(stats.jobId(), stats.taskId());
        if (!store.exists(key)) {
            write(key, EventCodec.encode(stats));
        }
    }

    /** The kept statistics of a job's tasks, ordered by task id, so that merging them adds in one fixed order. */
    public List<CalibrationStatsReported> tasks(String jobId) throws IOException {
        List<CalibrationStatsReported> tasks = new ArrayList<>();
        try (ObjectStore job = store.child(encode(jobId))) {
            for (ObjectInfo object : job.list()) {
                if (object.key().startsWith(TASKS)) {
                    tasks.add(read(job, object.key(), CalibrationStatsReported.class));
                }
            }
        }
        tasks.sort(Comparator.comparing(CalibrationStatsReported::taskId));
        return tasks;
    }

    public boolean isFinished(String jobId) throws IOException {
        return store.exists(jobKey(jobId) + FINISHED);
    }

    /**
     * Marks the job finished and drops its statistics: a late or redelivered event of the job is then ignored. Only
     * the small marker stays.
     */
    public void finish(String jobId, String outcome) throws IOException {
        write(jobKey(jobId) + FINISHED, outcome);
        try (ObjectStore job = store.child(encode(jobId))) {
            for (ObjectInfo object : job.list()) {
                if (!object.key().equals(FINISHED)) {
                    job.delete(object.key());
                }
            }
        }
    }

    /** The jobs that were planned and have not finished: those a deadline applies to. */
    public List<JobPlanned> waiting() throws IOException {
        Set<String> planned = new TreeSet<>();
        Set<String> finished = new TreeSet<>();
        for (ObjectInfo object : store.list()) {
            String key = object.key();
            int slash = key.indexOf('/');
            String rest = key.substring(slash + 1);
            if (rest.equals(PLANNED)) {
                planned.add(key.substring(0, slash + 1));
            } else if (rest.equals(FINISHED)) {
                finished.add(key.substring(0, slash + 1));
            }
        }
        planned.removeAll(finished);
        List<JobPlanned> waiting = new ArrayList<>();
        for (String job : planned) {
            waiting.add(read(store, job + PLANNED, JobPlanned.class));
        }
        return waiting;
    }

    private static String jobKey(String jobId) {
        return encode(jobId) + "/";
    }

    private static String taskKey(String jobId, String taskId) {
        return jobKey(jobId) + TASKS + encode(taskId) + ".json";
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private void write(String key, String content) throws IOException {
        store.write(key, List.of(new Segment.Bytes(content.getBytes(StandardCharsets.UTF_8))), CopyListener.NONE);
    }

    private static <T extends JobEvent> T read(ObjectStore from, String key, Class<T> type) throws IOException {
        String json = new String(from.readAll(key, MAX_EVENT_BYTES), StandardCharsets.UTF_8);
        try {
            return EventCodec.decode(json, type);
        } catch (MalformedEventException e) {
            throw new IOException("the scoring state " + key + " in " + from.location() + " is not readable: "
                    + e.getMessage(), e);
        }
    }
}
