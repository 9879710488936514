package io.reapomni.common.rewrite;

import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A store that records the keys written through it and can simulate the process being killed at its Nth write: that
 * write and every later call fail, so nothing after the kill (not even the rewrite's cleanup) reaches the store.
 */
final class RecordingStore implements InvocationHandler {
    /** Calls that need no live process: naming the store, and releasing it (the OS does that after a kill). */
    private static final Set<String> ALWAYS_ANSWERED = Set.of("location", "close", "toString");

    private final ObjectStore delegate;
    private final int killedAtWrite;
    private final List<String> written = new ArrayList<>();
    private int writes;
    private boolean killed;

    private RecordingStore(ObjectStore delegate, int killedAtWrite) {
        this.delegate = delegate;
        this.killedAtWrite = killedAtWrite;
    }

    /** Records writes to {@code delegate} and passes every call on. */
    static RecordingStore over(ObjectStore delegate) {
        return new RecordingStore(delegate, Integer.MAX_VALUE);
    }

    /** Records writes to {@code delegate} until the {@code write}th, which kills the (simulated) process. */
    static RecordingStore killedAtWrite(ObjectStore delegate, int write) {
        return new RecordingStore(delegate, write);
    }

    ObjectStore store() {
        return (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(),
                new Class<?>[]{ObjectStore.class}, this);
    }

    /** Keys whose write completed, in order. */
    List<String> written() {
        return List.copyOf(written);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (killed && !ALWAYS_ANSWERED.contains(method.getName())) {
            throw new IOException("simulated kill: the process is gone");
        }
        boolean isWrite = method.getName().equals("write");
        if (isWrite && ++writes == killedAtWrite) {
            killed = true;
            throw new IOException("simulated kill during the write of " + args[0]);
        }
        Object result;
        try {
            result = method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (isWrite) {
            written.add((String) args[0]);
        }
        return result;
    }
}
