package io.reapomni.calibrationservice;

import io.reapomni.calibration.Calibration;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.data.MediaLimits;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The models a worker has opened, by location, so that the tasks of a job (and of the next jobs on the same model)
 * reuse the config, tokenizer and safetensors index instead of reading them again. Only that is kept: the engine
 * loads weights one layer at a time and frees each after use. The least recently used model is closed when more than
 * {@code capacity} are open.
 */
final class ModelCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelCache.class);

    private final Function<StoreLocation, ObjectStore> stores;
    private final int capacity;
    private final MediaLimits limits;
    private final LinkedHashMap<StoreLocation, OpenedModel> open = new LinkedHashMap<>(4, 0.75f, true);

    /** @param limits what the media of one sample may cost, in every model's calibration */
    ModelCache(Function<StoreLocation, ObjectStore> stores, int capacity, MediaLimits limits) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the model cache must hold at least one model, not " + capacity);
        }
        this.stores = stores;
        this.capacity = capacity;
        this.limits = limits;
    }

    /**
     * The model at {@code location}, opened on first use.
     *
     * @throws CalibrationDataException when it has no usable config or tokenizer
     * @throws IOException              when its files cannot be read
     */
    synchronized Calibration get(StoreLocation location) throws CalibrationDataException, IOException {
        OpenedModel cached = open.get(location);
        if (cached != null) {
            return cached.calibration();
        }
        OpenedModel opened = openModel(location);
        open.put(location, opened);
        evictBeyondCapacity();
        return opened.calibration();
    }

    private OpenedModel openModel(StoreLocation location) throws CalibrationDataException, IOException {
        ObjectStore store = stores.apply(location);
        try {
            return new OpenedModel(store, Calibration.open(store, limits));
        } catch (CalibrationDataException | IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void evictBeyondCapacity() {
        Iterator<Map.Entry<StoreLocation, OpenedModel>> eldest = open.entrySet().iterator();
        while (open.size() > capacity) {
            Map.Entry<StoreLocation, OpenedModel> entry = eldest.next();
            eldest.remove();
            closeQuietly(entry.getKey(), entry.getValue());
        }
    }

    /**
     * Closes and forgets the model at {@code location}, if open: after a task on it failed or was interrupted (an
     * interrupt closes the file channels it reads through), the next task opens it afresh.
     */
    synchronized void evict(StoreLocation location) {
        OpenedModel model = open.remove(location);
        if (model != null) {
            closeQuietly(location, model);
        }
    }

    @Override
    public synchronized void close() {
        open.forEach(ModelCache::closeQuietly);
        open.clear();
    }

    /** A model that fails to close leaves nothing to recover: the next task opens it afresh. */
    private static void closeQuietly(StoreLocation location, OpenedModel model) {
        try {
            model.close();
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "closing the model at %s failed", location);
        }
    }
}
